import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { APP_CONFIG } from '../../config/app-config.token.js';
import type { AppConfig } from '../../config/load-config.js';
import { type TaskContext, TaskProcessorHost } from '../../tasks/task-processor.host.js';
import { TaskStore } from '../../tasks/task-store.service.js';
import type { ArtifactStore } from '../pdf/artifact-store.js';
import { ARTIFACT_STORE, artifactKeyOf } from '../shared/artifact-store.provider.js';
import { completedTaskResult } from '../shared/completed-task-result.js';
import { sha256Hex } from '../shared/sha256.util.js';
import { composeEml } from './compose-eml.js';
import type { EmailTaskInput, EmailTaskResult } from './email-task.dto.js';
import { emailTask } from './email.task.js';
import { OutboxWriter } from './outbox-writer.js';

@Processor(emailTask.queueName)
export class EmailProcessor extends TaskProcessorHost<typeof emailTask, EmailTaskResult> {
  readonly task = emailTask;

  constructor(
    private readonly store: TaskStore,
    private readonly outbox: OutboxWriter,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  protected async handle(input: EmailTaskInput, context: TaskContext): Promise<EmailTaskResult> {
    const attachments = input.attachTask ? [await this.attachment(input.attachTask, context)] : undefined;
    // Message-ID and Date follow from the task, so a retry writes the same message to the same file.
    const { eml, messageId } = await composeEml(
      {
        from: this.config.queue.emailFrom,
        to: input.to,
        subject: input.subject,
        text: input.text,
        html: input.html,
        attachments,
        messageId: `<${sha256Hex(context.taskId).slice(0, 32)}@strata.task>`,
      },
      { date: new Date(context.job.timestamp) },
    );
    await context.progress(50);
    const { accepted, rejected } = await this.outbox.write({ eml, messageId, to: input.to });
    await context.progress(100);
    return { messageId, accepted, rejected };
  }

  private async attachment(pdfTaskId: string, context: TaskContext) {
    await completedTaskResult(this.store, pdfTaskId, 'pdf', context);
    const content = await this.artifacts.get(artifactKeyOf(pdfTaskId, 'pdf'));
    return { filename: 'document.pdf', content, contentType: 'application/pdf' };
  }
}
