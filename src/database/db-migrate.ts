import { Logger } from '@nestjs/common';
import { ConfigError } from '../config/config-error.js';
import { loadProcessConfig } from '../config/load-config.js';
import { databaseOptionsFrom } from './database-options.js';
import { migrateDatabase } from './migrate-database.js';
import { openDatabase } from './open-database.js';

/*
 * `npm run db:migrate`: applies migrations and the seed, then exits. Services do the same on start; this
 * is for deploys that migrate once, before rolling out new instances.
 */
const logger = new Logger('DbMigrate');

async function main(): Promise<number> {
  let config;
  try {
    config = loadProcessConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 78; // EX_CONFIG, as in main.ts
  }
  const opened = await openDatabase(databaseOptionsFrom(config));
  try {
    const { applied, seeded } = await migrateDatabase(opened);
    logger.log(
      `${opened.backend}: ${applied.length ? `applied migrations ${applied.join(', ')}` : 'up to date'}` +
        (seeded ? '; seeded the taxonomy' : ''),
    );
    return 0;
  } finally {
    await opened.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 1;
  },
);
