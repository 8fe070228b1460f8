import type { Type } from '@nestjs/common';
import { EmailProcessorModule } from './processors/email/email-processor.module.js';
import { emailTask } from './processors/email/email.task.js';
import { JobSearchCacheModule } from './processors/job-search/job-search-cache.module.js';
import { JobSearchProcessorModule } from './processors/job-search/job-search-processor.module.js';
import { jobSearchTask } from './processors/job-search/job-search.task.js';
import { NarrativeProcessorModule } from './processors/narrative/narrative-processor.module.js';
import { narrativeTask } from './processors/narrative/narrative.task.js';
import { PdfProcessorModule } from './processors/pdf/pdf-processor.module.js';
import { pdfTask } from './processors/pdf/pdf.task.js';
import type { TaskType } from './tasks/task-type.js';

export interface TaskTypeRegistration {
  task: TaskType;
  /** The module with the type's `@Processor`, loaded only in the worker and all roles. */
  processors: Type;
  /**
   * What the api role needs of the type besides its definition, loaded there too (its processors'
   * module imports it): e.g. the cache namespace the processors fill, so the API's flush reaches it.
   */
  shared?: Type;
}

/**
 * The built-in task types: adding one is a folder under src/processors/ and a line here. The list lives
 * beside app.module.ts, above both tasks/ and processors/, because processors build on tasks.
 */
export const TASK_TYPES: TaskTypeRegistration[] = [
  { task: narrativeTask, processors: NarrativeProcessorModule },
  { task: jobSearchTask, processors: JobSearchProcessorModule, shared: JobSearchCacheModule },
  { task: pdfTask, processors: PdfProcessorModule },
  { task: emailTask, processors: EmailProcessorModule },
];
