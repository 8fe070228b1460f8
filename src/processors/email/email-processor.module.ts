import { join } from 'node:path';
import { Inject, Module, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { APP_CONFIG } from '../../config/app-config.token.js';
import type { AppConfig } from '../../config/load-config.js';
import { TaskQueues } from '../../tasks/task-queues.service.js';
import { EmailSendLedger } from './email-send-ledger.js';
import { EmailProcessor } from './email.processor.js';
import { MAIL_DELIVERY, type MailDelivery } from './mail-delivery.js';
import { OutboxMailDelivery } from './outbox-mail-delivery.js';
import { OutboxWriter } from './outbox-writer.js';
import { SmtpConnectionPool } from './smtp/smtp-connection-pool.js';
import { SmtpMailDelivery } from './smtp/smtp-mail-delivery.js';
import { parseSmtpUrl } from './smtp/smtp-url.js';

const SMTP_POOL = Symbol('SMTP_POOL');

@Module({
  providers: [
    EmailProcessor,
    {
      provide: SMTP_POOL,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const smtp = config.adapters.smtp;
        return smtp ? new SmtpConnectionPool(parseSmtpUrl(smtp.url, smtp.timeoutMs), smtp.poolSize) : null;
      },
    },
    {
      provide: MAIL_DELIVERY,
      inject: [APP_CONFIG, TaskQueues, SMTP_POOL],
      useFactory: (config: AppConfig, queues: TaskQueues, pool: SmtpConnectionPool | null): MailDelivery => {
        const smtp = config.adapters.smtp;
        if (!smtp || !pool) {
          return new OutboxMailDelivery(
            new OutboxWriter(join(config.server.dataDir, 'outbox')),
            config.queue.emailFrom,
          );
        }
        // A record must outlive every retry of its task, including a retry asked for through the API.
        const { removeOnComplete, removeOnFail } = config.queue;
        const ttl = Math.max(removeOnComplete.age, removeOnFail.age) + 3_600;
        const ledger = new EmailSendLedger(queues.redis, (id) => queues.key('email-sent', id), ttl);
        return new SmtpMailDelivery(pool, ledger, smtp.from, smtp.sendLeaseMs);
      },
    },
  ],
})
export class EmailProcessorModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(SMTP_POOL) private readonly pool: SmtpConnectionPool | null) {}

  /** After the workers have finished their jobs (beforeApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.pool?.close();
  }
}
