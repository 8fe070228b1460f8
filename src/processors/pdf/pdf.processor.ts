import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { type TaskContext, TaskProcessorHost } from '../../tasks/task-processor.host.js';
import { TaskStore } from '../../tasks/task-store.service.js';
import type { NarrativeResult } from '../narrative/write-narrative.js';
import { ArtifactRetention } from '../../tasks/artifact-retention.service.js';
import { ARTIFACT_STORE } from '../../artifacts/artifact-store.provider.js';
import { artifactKeyOf } from '../../tasks/task-artifact-key.util.js';
import { completedTaskResult } from '../shared/completed-task-result.js';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import { PdfRenderPool } from './pdf-render-pool.js';
import type { PdfTaskInput, PdfTaskResult } from './pdf-task.dto.js';
import { pdfTask } from './pdf.task.js';

@Processor(pdfTask.queueName)
export class PdfProcessor extends TaskProcessorHost<typeof pdfTask, PdfTaskResult> {
  readonly task = pdfTask;

  constructor(
    private readonly store: TaskStore,
    private readonly renderer: PdfRenderPool,
    private readonly retention: ArtifactRetention,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
  ) {
    super();
  }

  protected async handle(input: PdfTaskInput, context: TaskContext): Promise<PdfTaskResult> {
    const sections = input.fromTask ? await this.narrativeSections(input.fromTask, context) : input.sections!;
    // The job's creation time as the PDF date: a retry renders the very same bytes.
    const { buffer, pages } = await this.renderer.render(
      { title: input.title, sections },
      new Date(context.job.timestamp),
      { progress: context.progress, signal: context.signal },
    );
    const key = artifactKeyOf(context.taskId, 'pdf');
    await this.retention.track(context.taskId, key);
    const stored = await this.artifacts.put(key, buffer);
    return { artifact: { bytes: stored.bytes, pages, sha256: stored.sha256 } };
  }

  private async narrativeSections(taskId: string, context: TaskContext) {
    const { text } = await completedTaskResult<NarrativeResult>(this.store, taskId, 'narrative', context);
    return [{ heading: 'Narrative', body: text }];
  }
}
