/**
 * Limits shared by the DTO layer and the database CHECKs (migration 0001). The database repeats them as a
 * backstop; the API is where a client learns about them.
 */
export const TAXONOMY_LIMITS = {
  slugPattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  slugMaxLength: 64,
  nameMaxLength: 120,
  descriptionMaxLength: 2000,
  /** Measured as UTF-8 bytes of `JSON.stringify(attributes)`. */
  attributesMaxBytes: 16 * 1024,
} as const;

/** An item as the API returns it: plain, JSON-ready. `epochSlug` is present on stages only. */
export interface TaxonomyItem {
  slug: string;
  name: string;
  description: string;
  position: number;
  attributes: Record<string, unknown>;
  /** ISO 8601. */
  updatedAt: string;
  epochSlug?: string;
}

/** What `put` replaces an item with; omitted optional fields reset to their defaults. */
export interface TaxonomyItemFields {
  name: string;
  description?: string;
  position?: number;
  attributes?: Record<string, unknown>;
  /** Required for stages, refused for other kinds. */
  epochSlug?: string;
}

export interface TaxonomySnapshot {
  version: number;
  masks: TaxonomyItem[];
  epochs: TaxonomyItem[];
  stages: TaxonomyItem[];
}
