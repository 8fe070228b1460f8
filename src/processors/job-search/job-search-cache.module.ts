import { Module } from '@nestjs/common';
import { ResilientCache } from '../../cache/resilient-cache.service.js';

/**
 * The `job-search` cache namespace: the provider's answers, kept by the workers (HttpJobSearch). Every
 * role registers it, so the admin flush of an api-only instance can clear what the workers cached.
 */
@Module({})
export class JobSearchCacheModule {
  constructor(cache: ResilientCache) {
    // Its answers age by TTL, not by a generation: no source.
    cache.registerNamespace('job-search');
  }
}
