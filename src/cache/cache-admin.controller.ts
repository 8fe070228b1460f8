import {
  BadRequestException,
  Body,
  Controller,
  HttpCode,
  HttpStatus,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import { z } from 'zod';
import { AdminOnly } from '../http/route-access.decorators.js';
import { ZodValidationPipe } from '../http/zod-validation.pipe.js';
import { CacheNamespaces } from './cache-namespaces.registry.js';
import { CACHE_NAMESPACE_PATTERN } from './cache.constants.js';
import { ResilientCache } from './resilient-cache.service.js';

/** The namespaces are registered at run time (CacheNamespaces); this instance's list is checked per request. */
export const flushBodySchema = z
  .object({ namespace: z.string().regex(CACHE_NAMESPACE_PATTERN).optional() })
  .strict();

@Controller('v1/admin/cache')
export class CacheAdminController {
  constructor(
    private readonly cache: ResilientCache,
    private readonly namespaces: CacheNamespaces,
  ) {}

  /** The manual flush: only the cache's own keys (`strata:cache:*`), one namespace or all. */
  @Post('flush')
  @AdminOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  async flush(@Body(new ZodValidationPipe(flushBodySchema)) body: z.infer<typeof flushBodySchema>) {
    if (body.namespace !== undefined && !this.namespaces.has(body.namespace)) {
      const known = this.namespaces.names().join(', ');
      throw new BadRequestException({
        message: `unknown cache namespace "${body.namespace}" (this instance has: ${known})`,
        details: [{ field: 'namespace', message: `one of: ${known}` }],
      });
    }
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
