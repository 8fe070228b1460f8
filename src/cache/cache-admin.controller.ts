import { Body, Controller, HttpCode, HttpStatus, Post, ServiceUnavailableException } from '@nestjs/common';
import { z } from 'zod';
import { AdminOnly } from '../auth/auth.decorators.js';
import { ZodValidationPipe } from '../http/zod-validation.pipe.js';
import { CACHE_NAMESPACES } from './cache.constants.js';
import { ResilientCache } from './resilient-cache.service.js';

export const flushBodySchema = z.object({ namespace: z.enum(CACHE_NAMESPACES).optional() }).strict();

@Controller('v1/admin/cache')
export class CacheAdminController {
  constructor(private readonly cache: ResilientCache) {}

  /** The manual flush: only the cache's own keys (`strata:cache:*`), one namespace or all. */
  @Post('flush')
  @AdminOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  async flush(@Body(new ZodValidationPipe(flushBodySchema)) body: z.infer<typeof flushBodySchema>) {
    try {
      await this.cache.flush(body.namespace);
    } catch (err) {
      throw new ServiceUnavailableException({
        message: `the memory tier was flushed, but Redis could not be: ${(err as Error).message}`,
        retryAfter: 1,
      });
    }
  }
}
