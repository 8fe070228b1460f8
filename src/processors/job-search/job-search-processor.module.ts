import { Module } from '@nestjs/common';
import { ResilientCache } from '../../cache/resilient-cache.service.js';
import { APP_CONFIG } from '../../config/app-config.token.js';
import type { AppConfig } from '../../config/load-config.js';
import { DatasetJobSearch } from './dataset-job-search.js';
import { HttpJobSearch } from './http-job-search.js';
import { JobSearchCacheModule } from './job-search-cache.module.js';
import { JOB_SEARCH_SOURCE, type JobSearchSource } from './job-search-source.js';
import { JobSearchProcessor } from './job-search.processor.js';

@Module({
  imports: [JobSearchCacheModule],
  providers: [
    JobSearchProcessor,
    {
      provide: JOB_SEARCH_SOURCE,
      inject: [APP_CONFIG, ResilientCache],
      useFactory: (config: AppConfig, cache: ResilientCache): JobSearchSource => {
        const settings = config.adapters.jobSearch;
        return settings ? new HttpJobSearch(settings, cache) : new DatasetJobSearch();
      },
    },
  ],
})
export class JobSearchProcessorModule {}
