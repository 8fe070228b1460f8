import type { TaxonomyKind } from './taxonomy-kind.js';

/** Base of the errors a controller maps to HTTP statuses; anything else is a 500. */
export abstract class TaxonomyError extends Error {}

/** A write that breaks a field constraint (400/422). Normally the DTO layer catches these first. */
export class TaxonomyValidationError extends TaxonomyError {
  override readonly name = 'TaxonomyValidationError';
}

/** A stage names an epoch that does not exist (422). */
export class TaxonomyUnknownEpochError extends TaxonomyError {
  override readonly name = 'TaxonomyUnknownEpochError';
  constructor(readonly epochSlug: string) {
    super(`epoch "${epochSlug}" does not exist`);
  }
}

/** A write that would leave the taxonomy inconsistent, such as deleting an epoch that has stages (409). */
export class TaxonomyConflictError extends TaxonomyError {
  override readonly name = 'TaxonomyConflictError';
  constructor(
    message: string,
    readonly kind: TaxonomyKind,
    readonly slug: string,
  ) {
    super(message);
  }
}
