import { Processor } from '@nestjs/bullmq';
import { type TaskContext, TaskProcessorHost } from '../../tasks/task-processor.host.js';
import type { JobSearchInput } from './job-search.dto.js';
import { jobSearchTask } from './job-search.task.js';
import { type JobSearchResult, searchJobs } from './search-jobs.js';

@Processor(jobSearchTask.queueName)
export class JobSearchProcessor extends TaskProcessorHost<typeof jobSearchTask, JobSearchResult> {
  readonly task = jobSearchTask;

  protected async handle(input: JobSearchInput, context: TaskContext): Promise<JobSearchResult> {
    const result = searchJobs(input);
    await context.progress(100);
    return result;
  }
}
