import type { Migration } from './migration.js';

/*
 * Limits mirror TAXONOMY_LIMITS (src/taxonomy/taxonomy-item.entity.ts). Slugs use the "C" collation so
 * ordering by slug is the same on every server and on PGlite, whatever the database locale.
 * The attributes bound is 24 KiB, not 16: jsonb prints a space after every ':' and ',', so its text can be
 * up to 1.5x the JSON.stringify form the API measures, and the backstop must never refuse what the API
 * accepts.
 */
export const taxonomyMigration: Migration = {
  version: 1,
  name: 'taxonomy',
  statements: [
    `CREATE TABLE taxonomy_items (
      kind text NOT NULL CHECK (kind IN ('masks', 'epochs', 'stages')),
      slug text COLLATE "C" NOT NULL
        CHECK (char_length(slug) <= 64 AND slug ~ '^[a-z0-9]+(?:-[a-z0-9]+)*$'),
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
      description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 2000),
      position integer NOT NULL DEFAULT 0,
      attributes jsonb NOT NULL DEFAULT '{}'::jsonb
        CHECK (jsonb_typeof(attributes) = 'object' AND octet_length(attributes::text) <= 24576),
      epoch_slug text COLLATE "C",
      epoch_kind text GENERATED ALWAYS AS (CASE WHEN epoch_slug IS NULL THEN NULL ELSE 'epochs' END) STORED,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (kind, slug),
      CONSTRAINT taxonomy_items_stage_has_epoch CHECK ((kind = 'stages') = (epoch_slug IS NOT NULL)),
      CONSTRAINT taxonomy_items_stage_epoch_fk FOREIGN KEY (epoch_kind, epoch_slug)
        REFERENCES taxonomy_items (kind, slug) ON UPDATE RESTRICT ON DELETE RESTRICT
    )`,
    `CREATE INDEX taxonomy_items_order_idx ON taxonomy_items (kind, position, slug)`,
    // Serves the foreign-key check when an epoch is deleted.
    `CREATE INDEX taxonomy_items_epoch_idx ON taxonomy_items (epoch_slug) WHERE epoch_slug IS NOT NULL`,
    `CREATE TABLE taxonomy_meta (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      version bigint NOT NULL CHECK (version >= 0)
    )`,
    `INSERT INTO taxonomy_meta (singleton, version) VALUES (true, 0)`,
  ],
};
