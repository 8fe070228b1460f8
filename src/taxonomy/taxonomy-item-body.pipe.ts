import { fieldProblems, ValidationFailedException, ZodValidationPipe } from '../http/zod-validation.pipe.js';
import { type TaxonomyItemBody, taxonomyItemBodySchema } from './taxonomy-item.dto.js';

/** Fields a GET shows that a PUT cannot set; named as such, so nobody believes they set them. */
const READ_ONLY: Record<string, string> = {
  slug: 'read-only: the path gives the slug',
  updatedAt: 'read-only: the server sets it on every write',
  version: 'read-only: every write moves the taxonomy version',
};

/**
 * The PUT body: a GET's item without its read-only fields. Those fields answer 400 naming each, rather
 * than "unknown field" or, worse, being ignored.
 */
export class TaxonomyItemBodyPipe extends ZodValidationPipe<typeof taxonomyItemBodySchema> {
  constructor() {
    super(taxonomyItemBodySchema);
  }

  override transform(value: unknown): TaxonomyItemBody {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return super.transform(value);
    const readOnly = Object.keys(value)
      .filter((key) => Object.hasOwn(READ_ONLY, key))
      .map((field) => ({ field, message: READ_ONLY[field] }));
    if (readOnly.length === 0) return super.transform(value);
    // One answer names every problem: the read-only fields, and whatever else the rest gets wrong.
    const rest = Object.fromEntries(Object.entries(value).filter(([key]) => !Object.hasOwn(READ_ONLY, key)));
    const parsed = taxonomyItemBodySchema.safeParse(rest);
    throw new ValidationFailedException([
      ...readOnly,
      ...(parsed.success ? [] : fieldProblems(parsed.error)),
    ]);
  }
}
