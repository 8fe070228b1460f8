import { Global, Module } from '@nestjs/common';
import { DATABASE_OPTIONS } from './database-options.js';
import { DatabaseService } from './database.service.js';

/** Global: the database is opened once per process and shared by every module that needs it. */
@Global()
@Module({
  // Registered (empty) so a test can `overrideProvider(DATABASE_OPTIONS)` to choose a schema.
  providers: [DatabaseService, { provide: DATABASE_OPTIONS, useValue: {} }],
  exports: [DatabaseService],
})
export class DatabaseModule {}
