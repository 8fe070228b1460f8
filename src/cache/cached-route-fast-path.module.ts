import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module.js';
import { CachedRouteFastPath } from './cached-route.fast-path.js';

/** API roles only: the fast path answers HTTP requests, and needs the keys and limits to do so. */
@Module({
  imports: [AuthModule, DiscoveryModule],
  providers: [CachedRouteFastPath],
  exports: [CachedRouteFastPath],
})
export class CachedRouteFastPathModule {}
