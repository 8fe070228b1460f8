import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';
import { RedisHealthIndicator } from './redis.health.js';
import { AppLifecycle } from './app-lifecycle.service.js';
import { DependencyChecks } from './dependency-checks.service.js';
import { HealthController } from './health.controller.js';
import { HealthNotes } from './health-notes.js';
import { healthRouteDocs } from './health.route-docs.js';

@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [
    AppLifecycle,
    HealthNotes,
    DependencyChecks,
    RedisHealthIndicator,
    DatabaseHealthIndicator,
    healthRouteDocs,
  ],
  exports: [AppLifecycle, HealthNotes],
})
export class HealthModule {}
