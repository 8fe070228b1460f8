import { z } from 'zod';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { RouteDocSet, routeDocsProvider } from '../http/route-doc-set.js';
import { eventStream, type RouteDoc, type RouteDocs } from '../http/route-doc.js';
import { byType, taskTypeSchemas } from '../tasks/task-api.schemas.js';
import { TaskRegistry } from '../tasks/task-registry.service.js';
import { createPipelineSchema, patchStepSchema, pipelineStepSchema, rerunSchema } from './pipeline.dto.js';
import { PIPELINE_MODES, RUN_STATES, STEP_STATES } from './pipeline-run.js';

const tag = 'pipelines';
const stepStateSchema = z.enum(STEP_STATES).meta({ id: 'StepState' });
const id = {
  description: 'A pipeline run id',
  schema: z.string().min(1).max(200),
  example: 'Vx3kq9T2b8WcYz0aLmN4pQ',
};
const visibility = "A client sees only its own runs (another's answers 404, never 403); an admin sees all.";
const devOnly = 'Development runs only (a production run: 409). 409 while a step is waiting or active.';

/** The pipelines API; a step's view is a union by `type`, so its `output` is the type's result. */
export function pipelineRouteDocs(registry: TaskRegistry, config: AppConfig): RouteDocs {
  const types = [...registry.all().values()];
  const names = types.map((t) => t.type);
  const typeEnum = names.length > 0 ? z.enum(names as [string, ...string[]]) : z.string();
  const step = byType(
    'Step',
    types.map((task) => {
      const { name, result } = taskTypeSchemas(task, config.security.taskInputMaxBytes);
      return {
        name: `${name}Step`,
        type: task.type,
        schema: z
          .object({
            id: z.string(),
            type: z.literal(task.type),
            state: stepStateSchema,
            dependsOn: z.array(z.string()).meta({ description: 'The steps it binds from' }),
            taskId: z
              .string()
              .optional()
              .meta({ description: 'Its task; for a cached step, the task that produced the output' }),
            attemptsMade: z.number().int().min(0),
            cached: z
              .boolean()
              .optional()
              .meta({ description: 'Development: answered from the cache, not run' }),
            output: result.optional(),
            error: z.string().optional(),
            progress: z.number().min(0).max(100).optional().meta({ description: 'While active' }),
            worker: z
              .string()
              .optional()
              .meta({ description: '`host:pid` of the worker process that ran it' }),
            startedAt: z.iso.datetime().optional(),
            finishedAt: z.iso.datetime().optional(),
          })
          .meta({ id: `${name}Step`, description: `A ${task.type} step; \`output\` when completed` }),
      };
    }),
    'One step of a run; `type` says which output it holds',
  );
  const run = z
    .object({
      id: z.string(),
      mode: z.enum(PIPELINE_MODES).meta({ id: 'PipelineMode' }),
      state: z.enum(RUN_STATES).meta({ id: 'PipelineRunState' }),
      createdAt: z.iso.datetime(),
      steps: z.array(step),
      links: z.object({ self: z.string(), events: z.string() }).meta({ id: 'PipelineLinks' }),
    })
    .meta({ id: 'PipelineRun' });
  const stepRequest = pipelineStepSchema.extend({ type: typeEnum }).meta({
    id: 'PipelineStepRequest',
    description: "`input` is checked against the type's input once bound",
  });
  const create = createPipelineSchema
    .extend({
      steps: z
        .array(stepRequest)
        .min(1)
        .max(config.pipelines.maxSteps)
        .meta({ description: 'At most PIPELINE_MAX_STEPS' }),
    })
    .meta({
      id: 'CreatePipelineRequest',
      example: {
        mode: 'production',
        steps: [
          { id: 'search', type: 'job-search', input: { query: 'nurse', limit: 3 } },
          {
            id: 'story',
            type: 'narrative',
            input: { subject: { name: 'Ada', experiences: [] } },
            bind: { 'subject.headline': 'search.result/results/0/title' },
          },
        ],
      },
    });
  const answer = { description: 'The run', schema: run };
  /** A development run's action on its steps: the run as it is now, 202. */
  const devAction = (operationId: string, what: string): RouteDoc => ({
    operationId,
    summary: `Development: ${what}`,
    description: devOnly,
    tag,
    access: 'key',
    params: { id },
    responses: { 202: answer },
    errors: [404, 409, 503],
  });
  const tooLarge = {
    description:
      `A step's input is larger than ${config.security.taskInputMaxBytes} bytes as JSON (TASK_INPUT_MAX_BYTES), ` +
      `or the body than ${config.server.bodyLimitBytes} (BODY_LIMIT_BYTES)`,
    schema: { $ref: '#/components/schemas/ErrorBody' },
  };
  return {
    'POST /v1/pipelines': {
      operationId: 'createPipeline',
      summary: 'Create a pipeline run',
      description:
        'Steps are tasks of any registered type; `bind` fills input paths from earlier steps ' +
        '(`<step>.id` or `<step>.result/<json-pointer>`). Everything is validated before anything is queued. ' +
        'Production runs are queued at once; development runs wait for `step` or `run`. Each queued step ' +
        'spends its `tasks:<type>` rate budget. See docs/pipelines.md.',
      tag,
      access: 'key',
      body: create,
      responses: {
        202: { ...answer, description: 'Created', headers: { Location: 'Location' } },
        413: tooLarge,
      },
      errors: [404, 503],
    },
    'GET /v1/pipelines/{id}': {
      operationId: 'getPipeline',
      summary: "A run: every step's state, attempts, output or error, timings",
      description: visibility,
      tag,
      access: 'key',
      params: { id },
      responses: { 200: answer },
      errors: [404, 503],
    },
    'POST /v1/pipelines/{id}/step': devAction('stepPipeline', 'run the next step that has not completed'),
    'POST /v1/pipelines/{id}/run': devAction(
      'runPipeline',
      'run every step that has not completed, to the end',
    ),
    'POST /v1/pipelines/{id}/rerun': {
      ...devAction('rerunPipeline', 'run a step and every step after it again'),
      description: `${devOnly} A step whose resolved input did not change answers from the cache (\`cached: true\`).`,
      body: rerunSchema.meta({ id: 'RerunPipelineRequest' }),
    },
    'PATCH /v1/pipelines/{id}/steps/{stepId}': {
      operationId: 'patchPipelineStep',
      summary: "Development: change a step's input or bindings",
      description: `${devOnly} Validated as at creation; the step and those after it become pending.`,
      tag,
      access: 'key',
      params: {
        id,
        stepId: { description: 'The step id', schema: pipelineStepSchema.shape.id, example: 'search' },
      },
      body: patchStepSchema.meta({
        id: 'PatchPipelineStepRequest',
        anyOf: [{ required: ['input'] }, { required: ['bind'] }],
      }),
      responses: { 200: answer, 413: tooLarge },
      errors: [404, 409, 503],
    },
    'DELETE /v1/pipelines/{id}': {
      operationId: 'cancelPipeline',
      summary: 'Cancel a run',
      description:
        'Waiting steps are removed, an active one is asked to stop; unfinished steps become `cancelled`. ' +
        'A finished run: 409.',
      tag,
      access: 'key',
      params: { id },
      responses: { 200: answer },
      errors: [404, 409, 503],
    },
    'GET /v1/pipelines/{id}/events': {
      operationId: 'streamPipelineEvents',
      summary: 'Follow a run as Server-Sent Events',
      description:
        'First `run` (the whole run), then a `step` event each time a step changes, and at the end ' +
        '`completed`, `failed` or `cancelled` with the run; the stream then ends. A comment line ' +
        '(`: heartbeat`) keeps idle connections open. Works from any API instance.',
      tag,
      access: 'key',
      params: { id },
      responses: {
        200: eventStream({
          run: { description: 'The run when the stream opens', schema: run },
          step: { description: 'A step changed', schema: step },
          completed: { description: 'Every step completed', schema: run },
          failed: { description: 'A step failed for good', schema: run },
          cancelled: { description: 'The run was cancelled', schema: run },
        }),
      },
      errors: [404, 503],
    },
  };
}

export const pipelinesRouteDocs = routeDocsProvider(
  'pipelines',
  (registry: TaskRegistry, config: AppConfig) =>
    new RouteDocSet(
      [{ name: tag, description: 'Runs of several tasks, each step fed by earlier ones' }],
      () => pipelineRouteDocs(registry, config),
    ),
  [TaskRegistry, APP_CONFIG],
);
