import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import type { RateLimiterOptions } from 'bullmq';
import { APP_CONFIG } from '../../config/app-config.token.js';
import type { AppConfig } from '../../config/load-config.js';
import { type TaskContext, TaskProcessorHost } from '../../tasks/task-processor.host.js';
import { TaskStore } from '../../tasks/task-store.service.js';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import { ARTIFACT_STORE } from '../../artifacts/artifact-store.provider.js';
import { artifactKeyOf } from '../../tasks/task-artifact-key.util.js';
import { completedTaskResult } from '../shared/completed-task-result.js';
import { perMinute } from '../shared/per-minute-limiter.js';
import { sha256Hex } from '../../artifacts/sha256.util.js';
import { composeEml } from './compose-eml.js';
import type { EmailTaskInput, EmailTaskResult } from './email-task.dto.js';
import { emailTask } from './email.task.js';
import { MAIL_DELIVERY, type MailDelivery } from './mail-delivery.js';

@Processor(emailTask.queueName)
export class EmailProcessor extends TaskProcessorHost<typeof emailTask, EmailTaskResult> {
  readonly task = emailTask;
  /** The SMTP transport's quota across every worker; the outbox needs none. */
  override readonly limiter?: RateLimiterOptions;

  constructor(
    private readonly store: TaskStore,
    @Inject(MAIL_DELIVERY) private readonly delivery: MailDelivery,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super();
    this.limiter = perMinute(config.adapters.smtp?.maxPerMinute);
  }

  protected async handle(input: EmailTaskInput, context: TaskContext): Promise<EmailTaskResult> {
    const attachments = input.attachTask ? [await this.attachment(input.attachTask, context)] : undefined;
    // Message-ID and Date follow from the task, so every attempt builds the very same message: the
    // outbox rewrites one file, and SMTP recipients can recognise a copy by its Message-ID.
    const { eml, messageId } = await composeEml(
      {
        from: this.delivery.from,
        to: input.to,
        subject: input.subject,
        text: input.text,
        html: input.html,
        attachments,
        messageId: `<${sha256Hex(context.taskId).slice(0, 32)}@strata.task>`,
      },
      { date: new Date(context.job.timestamp) },
    );
    const result = await this.delivery.deliver(
      { eml, messageId, from: this.delivery.from, to: input.to },
      context,
    );
    await context.progress(100);
    return result;
  }

  private async attachment(pdfTaskId: string, context: TaskContext) {
    await completedTaskResult(this.store, pdfTaskId, 'pdf', context);
    const content = await this.artifacts.get(artifactKeyOf(pdfTaskId, 'pdf'));
    return { filename: 'document.pdf', content, contentType: 'application/pdf' };
  }
}
