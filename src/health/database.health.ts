import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HEALTH_TIMEOUT_MS } from './health.constants.js';
import { DatabaseService } from '../database/database.service.js';

@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly database: DatabaseService,
  ) {}

  isHealthy() {
    return this.health
      .check('database')
      .attempt(() => this.database.ping())
      .withTimeout(HEALTH_TIMEOUT_MS);
  }
}
