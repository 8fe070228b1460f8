import { Controller, Get, HttpCode, HttpStatus, Inject, Res } from '@nestjs/common';
import { HealthCheck, type HealthIndicatorResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/route-access.decorators.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import type { Dependency } from '../config/server.config.js';
import { AppLifecycle } from './app-lifecycle.service.js';
import { DependencyChecks } from './dependency-checks.service.js';
import { HealthNotes } from './health-notes.js';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly checks: DependencyChecks,
    private readonly lifecycle: AppLifecycle,
    private readonly notes: HealthNotes,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The process can answer; no dependency is consulted, so a Redis outage never restarts pods. */
  @Get('live')
  @HealthCheck()
  live() {
    return { status: 'ok', info: {}, error: {}, details: {} };
  }

  /**
   * For the load balancer: 503 while starting or shutting down; otherwise only the dependencies this
   * role requires (READINESS_REQUIRES) decide, while all three are still reported.
   */
  @Get('ready')
  @HttpCode(HttpStatus.OK)
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const results = await this.checks.all();
    const required = new Set<Dependency>(this.config.server.readinessRequires);
    const failing = Object.entries(results).filter(
      ([key, r]) => r.status === 'down' && required.has(key as Dependency),
    );
    const running = this.lifecycle.state === 'running';
    const body = terminusShape(results, running && failing.length === 0);
    if (!running) Object.assign(body, { lifecycle: this.lifecycle.state });
    if (body.status === 'error') reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }

  /** The full report: 503 if any dependency is down; the notes (e.g. the cache fast path) only inform. */
  @Get()
  @HealthCheck()
  async full(@Res({ passthrough: true }) reply: FastifyReply) {
    const results = { ...(await this.checks.all()), ...this.notes.all() };
    const body = terminusShape(
      results,
      Object.values(results).every((r) => r.status !== 'down'),
    );
    if (body.status === 'error') reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }
}

/** Builds the body Terminus would, but lets readiness decide `status` by its own rule. */
function terminusShape(results: HealthIndicatorResult, ok: boolean) {
  const pick = (up: boolean) =>
    Object.fromEntries(Object.entries(results).filter(([, r]) => (r.status !== 'down') === up));
  return { status: ok ? 'ok' : 'error', info: pick(true), error: pick(false), details: results };
}
