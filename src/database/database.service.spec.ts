import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { eq } from 'drizzle-orm';
import { ConfigModule } from '../config/config.module.js';
import { loadConfig } from '../config/load-config.js';
import { DATABASE_OPTIONS } from './database-options.js';
import { DatabaseModule } from './database.module.js';
import { taxonomyItems, schemaMigrations } from './database.schema.js';
import { DatabaseService } from './database.service.js';
import { ALL_MIGRATIONS } from './migrations/all-migrations.js';
import { testBackends, testDatabase } from './testing/test-database.js';
import { TEST_POSTGRES_URL } from '../../test/support/test-env.js';

describe.each(testBackends(TEST_POSTGRES_URL))('DatabaseModule on $name', (backend) => {
  it('opens, migrates and seeds on init, answers ping, and closes on shutdown', async () => {
    const target = testDatabase(backend);
    const config = loadConfig({ DATABASE_URL: target.options.url });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), DatabaseModule],
    })
      .overrideProvider(DATABASE_OPTIONS)
      .useValue({ schema: target.options.schema, inMemory: true })
      .compile();
    const app = await moduleRef.init();
    const database = app.get(DatabaseService);
    try {
      expect(database.backend).toBe(backend.name);
      await expect(database.ping()).resolves.toBeUndefined();
      const seeded = await database.db
        .select()
        .from(taxonomyItems)
        .where(eq(taxonomyItems.slug, 'foundations'));
      expect(seeded).toHaveLength(1);
    } finally {
      await app.close();
      await target.drop();
    }
    await expect(database.ping()).rejects.toThrow(/not open/);
  });
});

describe('DatabaseService on PGlite persisted under DATA_DIR', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'strata-db-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps its data across close and reopen, without migrating twice', async () => {
    const config = loadConfig({ DATA_DIR: join(dataDir, 'nested') });
    const first = new DatabaseService(config);
    await first.onModuleInit();
    await first.db
      .update(taxonomyItems)
      .set({ name: 'Groundwork' })
      .where(eq(taxonomyItems.slug, 'foundations'));
    await first.onApplicationShutdown();
    expect(existsSync(join(dataDir, 'nested', 'pglite', 'PG_VERSION'))).toBe(true);

    const second = new DatabaseService(config);
    await second.onModuleInit();
    try {
      const [epoch] = await second.db
        .select({ name: taxonomyItems.name })
        .from(taxonomyItems)
        .where(eq(taxonomyItems.slug, 'foundations'));
      expect(epoch.name).toBe('Groundwork');
      expect(await second.db.select().from(schemaMigrations)).toHaveLength(ALL_MIGRATIONS.length);
    } finally {
      await second.onApplicationShutdown();
    }
  });
});
