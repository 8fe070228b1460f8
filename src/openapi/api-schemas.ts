import { z } from 'zod';
import { TAXONOMY_KINDS } from '../taxonomy/taxonomy-kind.js';
import { slugSchema } from '../taxonomy/taxonomy-item.dto.js';

/** Response shapes, for the document only: what the handlers return, as zod schemas. */

export const errorBodySchema = z
  .object({
    statusCode: z.number().int().meta({ example: 400 }),
    error: z.string().meta({ description: 'The status text', example: 'Bad Request' }),
    message: z.string().meta({ example: 'invalid name' }),
    details: z
      .unknown()
      .optional()
      .meta({ description: 'e.g. `[{ field, message }]` for a validation error' }),
  })
  .meta({ description: 'The body of every 4xx and 5xx answer' });

export const kindSchema = z.enum(TAXONOMY_KINDS);
export { slugSchema };

export const taxonomyItemSchema = z.object({
  slug: slugSchema,
  name: z.string(),
  description: z.string(),
  position: z.number().int(),
  attributes: z.record(z.string(), z.unknown()),
  updatedAt: z.iso.datetime(),
  epochSlug: slugSchema.optional().meta({ description: 'Stages only: the epoch they belong to' }),
});

export const taxonomySnapshotSchema = z.object({
  version: z.number().int().meta({ description: 'Moves on every write' }),
  masks: z.array(taxonomyItemSchema),
  epochs: z.array(taxonomyItemSchema),
  stages: z.array(taxonomyItemSchema),
});

export const taxonomyListSchema = z.object({
  version: z.number().int(),
  items: z.array(taxonomyItemSchema),
});

export const taxonomyWriteSchema = taxonomyItemSchema.extend({ version: z.number().int() });

const indicatorSchema = z.record(
  z.string(),
  z.looseObject({ status: z.enum(['up', 'down']), message: z.string().optional() }),
);

export const healthSchema = z.object({
  status: z.enum(['ok', 'error']),
  info: indicatorSchema,
  error: indicatorSchema,
  details: indicatorSchema,
  lifecycle: z.enum(['starting', 'running', 'stopping']).optional().meta({
    description: 'Readiness only, while not running',
  }),
});
