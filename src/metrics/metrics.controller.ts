import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/route-access.decorators.js';
import { presentedKey } from '../auth/presented-key.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { sha256 } from '../config/auth.config.js';
import type { AppConfig } from '../config/load-config.js';
import { MetricsRegistry } from './metrics.registry.js';

/**
 * Prometheus' scrape target. Exempt from API keys (a scraper is not a client), but when METRICS_TOKEN
 * is set it must come as `Authorization: Bearer <token>`, compared in constant time.
 */
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly tokenDigest?: Buffer;

  constructor(
    private readonly metrics: MetricsRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tokenDigest = config.ops.metricsToken === undefined ? undefined : sha256(config.ops.metricsToken);
  }

  @Get()
  async scrape(
    @Headers() headers: Record<string, string | string[] | undefined>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (this.tokenDigest) {
      const presented = presentedKey({ authorization: headers.authorization });
      if (!presented || !timingSafeEqual(sha256(presented), this.tokenDigest)) {
        void reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new UnauthorizedException('a valid metrics token is required (Authorization: Bearer <token>)');
      }
    }
    const body = await this.metrics.metrics();
    void reply.header('content-type', this.metrics.contentType()).send(body);
  }
}
