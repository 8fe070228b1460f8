import { z } from 'zod';
import { TAXONOMY_LIMITS } from './taxonomy-item.entity.js';

export const slugSchema = z
  .string()
  .max(TAXONOMY_LIMITS.slugMaxLength, `at most ${TAXONOMY_LIMITS.slugMaxLength} characters`)
  .regex(
    TAXONOMY_LIMITS.slugPattern,
    'must be kebab-case: lowercase letters and digits joined by single hyphens',
  );

const attributesSchema = z
  .record(z.string(), z.unknown())
  .refine(
    (value) => Buffer.byteLength(JSON.stringify(value)) <= TAXONOMY_LIMITS.attributesMaxBytes,
    `at most ${TAXONOMY_LIMITS.attributesMaxBytes} bytes as JSON`,
  );

/** The body of `PUT /v1/taxonomy/:kind/:slug`: a full replacement; the slug comes from the path. */
export const taxonomyItemBodySchema = z
  .object({
    name: z.string().trim().min(1, 'required').max(TAXONOMY_LIMITS.nameMaxLength),
    description: z.string().max(TAXONOMY_LIMITS.descriptionMaxLength).optional(),
    position: z.number().int().min(-1_000_000).max(1_000_000).optional(),
    attributes: attributesSchema.optional(),
    epochSlug: slugSchema.optional(),
  })
  .strict();

export type TaxonomyItemBody = z.infer<typeof taxonomyItemBodySchema>;
