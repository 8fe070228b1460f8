import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard.js';
import { RateLimitModule } from '../rate-limit/rate-limit.module.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { ApiKeyService } from './api-key.service.js';

/**
 * Global guards, in this order: who is calling (ApiKeyGuard sets `request.principal`), then how much
 * that caller may still do (RateLimitGuard needs the principal).
 */
@Module({
  imports: [RateLimitModule],
  providers: [
    ApiKeyService,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
  exports: [ApiKeyService],
})
export class AuthModule {}
