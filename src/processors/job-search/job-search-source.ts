import type { TaskContext } from '../../tasks/task-processor.host.js';
import type { JobSearchInput } from './job-search.dto.js';
import type { JobSearchResult } from './search-jobs.js';

/** Where searches are answered: the built-in dataset, or the HTTP provider when JOB_SEARCH_URL is set. */
export interface JobSearchSource {
  search(input: JobSearchInput, context: TaskContext): Promise<JobSearchResult>;
}

export const JOB_SEARCH_SOURCE = Symbol('JOB_SEARCH_SOURCE');
