import type { JobSearchInput } from './job-search.dto.js';
import type { JobSearchSource } from './job-search-source.js';
import { type JobSearchResult, searchJobs } from './search-jobs.js';

/** The offline default: the built-in dataset, searched in process. */
export class DatasetJobSearch implements JobSearchSource {
  async search(input: JobSearchInput): Promise<JobSearchResult> {
    return searchJobs(input);
  }
}
