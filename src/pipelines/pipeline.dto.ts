import { z } from 'zod';
import { PIPELINE_MODES } from './pipeline-run.js';
import { STEP_ID } from './step-binding.js';

const stepIdSchema = z.string().regex(STEP_ID, 'letters, digits, "_" and "-", starting with a letter (≤ 40)');
const inputSchema = z.record(z.string(), z.unknown());
const bindSchema = z.record(z.string().max(200), z.string().max(500));

export const pipelineStepSchema = z
  .object({
    id: stepIdSchema,
    type: z.string().max(40),
    input: inputSchema.default({}),
    bind: bindSchema.default({}),
  })
  .strict();

/** The step count is checked against PIPELINE_MAX_STEPS after parsing (it is configuration). */
export const createPipelineSchema = z
  .object({
    mode: z.enum(PIPELINE_MODES),
    steps: z.array(pipelineStepSchema).min(1),
  })
  .strict();

/** A development run's step, changed: each field given replaces the old one whole. */
export const patchStepSchema = z
  .object({ input: inputSchema.optional(), bind: bindSchema.optional() })
  .strict()
  .refine((p) => p.input !== undefined || p.bind !== undefined, { message: 'give input or bind' });

export const rerunSchema = z.object({ from: stepIdSchema }).strict();

export type CreatePipelineRequest = z.output<typeof createPipelineSchema>;
