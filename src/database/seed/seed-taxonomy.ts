import { eq, sql } from 'drizzle-orm';
import { taxonomyItems, taxonomyMeta } from '../database.schema.js';
import type { Database } from '../open-database.js';
import { TAXONOMY_SEED } from './taxonomy.seed.js';

/**
 * Loads the seed into a taxonomy that has never been written (version 0), and counts as its first write.
 * Keying on the version rather than on emptiness means an operator who deletes everything gets an empty
 * taxonomy after a restart, not the seed back.
 */
export async function seedTaxonomy(tx: Database): Promise<boolean> {
  const [meta] = await tx.select({ version: taxonomyMeta.version }).from(taxonomyMeta).for('update');
  if (meta.version !== 0) return false;
  // Epochs before stages: the foreign key checks each stage as it is inserted.
  for (const kind of ['epochs', 'stages', 'masks'] as const) {
    await tx.insert(taxonomyItems).values(
      TAXONOMY_SEED[kind].map((item, index) => ({
        kind,
        slug: item.slug,
        name: item.name,
        description: item.description ?? '',
        position: item.position ?? (index + 1) * 10,
        attributes: item.attributes ?? {},
        epochSlug: item.epochSlug ?? null,
      })),
    );
  }
  await tx
    .update(taxonomyMeta)
    .set({ version: sql`${taxonomyMeta.version} + 1` })
    .where(eq(taxonomyMeta.singleton, true));
  return true;
}
