import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { DATABASE_OPTIONS, type DatabaseOverrides, databaseOptionsFrom } from './database-options.js';
import { migrateDatabase } from './migrate-database.js';
import { type Database, type OpenedDatabase, openDatabase } from './open-database.js';

/** The one database client of the process: opened, migrated and seeded on start, closed on shutdown. */
@Injectable()
export class DatabaseService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseService.name);
  private opened?: OpenedDatabase;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(DATABASE_OPTIONS) private readonly overrides: DatabaseOverrides = {},
  ) {}

  get db(): Database {
    return this.open().db;
  }

  get backend(): OpenedDatabase['backend'] {
    return this.open().backend;
  }

  async onModuleInit(): Promise<void> {
    const opened = await openDatabase(databaseOptionsFrom(this.config, this.overrides));
    try {
      const report = await migrateDatabase(opened);
      this.logger.log({
        msg: 'database ready',
        backend: opened.backend,
        migrationsApplied: report.applied,
        seeded: report.seeded,
      });
    } catch (err) {
      await opened.close();
      throw err;
    }
    this.opened = opened;
  }

  /** One round trip, for health checks; rejects when the database cannot answer. */
  async ping(): Promise<void> {
    await this.db.execute(sql`SELECT 1`);
  }

  async onApplicationShutdown(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    await opened?.close();
  }

  private open(): OpenedDatabase {
    if (!this.opened) throw new Error('the database is not open (before onModuleInit or after shutdown)');
    return this.opened;
  }
}
