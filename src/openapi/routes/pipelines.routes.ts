import { z } from 'zod';
import { createPipelineSchema, patchStepSchema, rerunSchema } from '../../pipelines/pipeline.dto.js';
import { PIPELINE_MODES, RUN_STATES, STEP_STATES } from '../../pipelines/pipeline-run.js';
import type { RouteDocs } from '../route-doc.js';

/** Pipeline response shapes, for the document only (mirrors RunView). */
const stepViewSchema = z.object({
  id: z.string(),
  type: z.string(),
  state: z.enum(STEP_STATES),
  dependsOn: z.array(z.string()),
  taskId: z.string().optional().meta({ description: 'For a cached step: the task that produced the output' }),
  attemptsMade: z.number().int(),
  cached: z.boolean().optional().meta({ description: 'Development: answered from the cache, not run' }),
  output: z.unknown().optional().meta({ description: "When completed: the task type's result" }),
  error: z.string().optional(),
  progress: z.unknown().optional(),
  worker: z.string().optional().meta({ description: '`host:pid` of the worker process that ran it' }),
  startedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
});

const runViewSchema = z.object({
  id: z.string(),
  mode: z.enum(PIPELINE_MODES),
  state: z.enum(RUN_STATES),
  createdAt: z.iso.datetime(),
  steps: z.array(stepViewSchema),
  links: z.object({ self: z.string(), events: z.string() }),
});

const id = { description: 'A pipeline run id', schema: z.string() };
const visibility = "A client sees only its own runs (another's answers 404, never 403); an admin sees all.";
const run = { description: 'The run', schema: runViewSchema };
const devOnly = 'Development runs only (a production run: 409). 409 while a step is waiting or active.';

export const PIPELINE_ROUTES: RouteDocs = {
  'POST /v1/pipelines': {
    summary: 'Create a pipeline run',
    description:
      'Steps are tasks of any registered type; `bind` fills input paths from earlier steps ' +
      '(`<step>.id` or `<step>.result/<json-pointer>`). Everything is validated before anything is queued. ' +
      'Production runs are queued at once; development runs wait for `step` or `run`. Each queued step ' +
      'spends its `tasks:<type>` rate budget. See docs/pipelines.md.',
    tag: 'pipelines',
    access: 'key',
    body: createPipelineSchema,
    responses: { 202: { description: 'Created', schema: runViewSchema } },
    errors: [400, 404, 413, 503],
  },
  'GET /v1/pipelines/{id}': {
    summary: "A run: every step's state, attempts, output or error, timings",
    description: visibility,
    tag: 'pipelines',
    access: 'key',
    params: { id },
    responses: { 200: run },
    errors: [404, 503],
  },
  'POST /v1/pipelines/{id}/step': {
    summary: 'Development: run the next step that has not completed',
    description: devOnly,
    tag: 'pipelines',
    access: 'key',
    params: { id },
    responses: { 202: run },
    errors: [404, 409, 503],
  },
  'POST /v1/pipelines/{id}/run': {
    summary: 'Development: run every step that has not completed, to the end',
    description: devOnly,
    tag: 'pipelines',
    access: 'key',
    params: { id },
    responses: { 202: run },
    errors: [404, 409, 503],
  },
  'POST /v1/pipelines/{id}/rerun': {
    summary: 'Development: run a step and every step after it again',
    description: `${devOnly} A step whose resolved input did not change answers from the cache (\`cached: true\`).`,
    tag: 'pipelines',
    access: 'key',
    params: { id },
    body: rerunSchema,
    responses: { 202: run },
    errors: [400, 404, 409, 503],
  },
  'PATCH /v1/pipelines/{id}/steps/{stepId}': {
    summary: "Development: change a step's input or bindings",
    description: `${devOnly} Validated as at creation; the step and those after it become pending.`,
    tag: 'pipelines',
    access: 'key',
    params: { id, stepId: { description: 'The step id', schema: z.string() } },
    body: patchStepSchema,
    responses: { 200: run },
    errors: [400, 404, 409, 413, 503],
  },
  'DELETE /v1/pipelines/{id}': {
    summary: 'Cancel a run',
    description:
      'Waiting steps are removed, an active one is asked to stop; unfinished steps become `cancelled`.',
    tag: 'pipelines',
    access: 'key',
    params: { id },
    responses: { 200: run },
    errors: [404, 409, 503],
  },
  'GET /v1/pipelines/{id}/events': {
    summary: 'Follow a run as Server-Sent Events',
    description:
      'First `run` (the whole run), then a `step` event each time a step changes, and at the end ' +
      '`completed`, `failed` or `cancelled` with the run; the stream then ends. Works from any API instance.',
    tag: 'pipelines',
    access: 'key',
    params: { id },
    responses: {
      200: { description: 'The event stream', schema: { type: 'string' }, contentType: 'text/event-stream' },
    },
    errors: [404, 503],
  },
};
