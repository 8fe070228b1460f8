import { Inject } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { type TaskContext, TaskProcessorHost } from '../../tasks/task-processor.host.js';
import { providerFailure } from '../shared/provider-failure.util.js';
import type { JobSearchInput } from './job-search.dto.js';
import { JOB_SEARCH_SOURCE, type JobSearchSource } from './job-search-source.js';
import { jobSearchTask } from './job-search.task.js';
import type { JobSearchResult } from './search-jobs.js';

@Processor(jobSearchTask.queueName)
export class JobSearchProcessor extends TaskProcessorHost<typeof jobSearchTask, JobSearchResult> {
  readonly task = jobSearchTask;

  constructor(@Inject(JOB_SEARCH_SOURCE) private readonly source: JobSearchSource) {
    super();
  }

  protected async handle(input: JobSearchInput, context: TaskContext): Promise<JobSearchResult> {
    try {
      const result = await this.source.search(input, context);
      await context.progress(100);
      return result;
    } catch (err) {
      throw providerFailure(err, context);
    }
  }
}
