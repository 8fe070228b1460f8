import { Module } from '@nestjs/common';
import { JobSearchProcessor } from './job-search.processor.js';

@Module({ providers: [JobSearchProcessor] })
export class JobSearchProcessorModule {}
