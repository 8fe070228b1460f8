import { Module } from '@nestjs/common';
import { ApiKeyService } from './api-key.service.js';

/** API keys: who is calling. The edge (src/edge/) checks them on every request that needs one. */
@Module({
  providers: [ApiKeyService],
  exports: [ApiKeyService],
})
export class AuthModule {}
