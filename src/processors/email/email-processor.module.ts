import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/app-config.token.js';
import type { AppConfig } from '../../config/load-config.js';
import { EmailProcessor } from './email.processor.js';
import { OutboxWriter } from './outbox-writer.js';

@Module({
  providers: [
    EmailProcessor,
    {
      provide: OutboxWriter,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new OutboxWriter(join(config.server.dataDir, 'outbox')),
    },
  ],
})
export class EmailProcessorModule {}
