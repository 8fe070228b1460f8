import { Injectable, OnModuleInit } from '@nestjs/common';
import { ResilientCache } from '../cache/resilient-cache.service.js';
import type { TaxonomyItem, TaxonomyItemFields } from './taxonomy-item.entity.js';
import type { TaxonomyKind } from './taxonomy-kind.js';
import { TaxonomyRepository } from './taxonomy.repository.js';

/** Writes go to the database, then move the cache generation, so no read after a write is stale. */
@Injectable()
export class TaxonomyService implements OnModuleInit {
  constructor(
    private readonly repository: TaxonomyRepository,
    private readonly cache: ResilientCache,
  ) {}

  onModuleInit(): void {
    // The taxonomy version is the cache generation: every write changes it.
    this.cache.registerNamespace('taxonomy', async () => String(await this.repository.version()));
  }

  snapshot() {
    return this.repository.snapshot();
  }

  list(kind: TaxonomyKind) {
    return this.repository.list(kind);
  }

  get(kind: TaxonomyKind, slug: string) {
    return this.repository.get(kind, slug);
  }

  /** One item through the cache, for code that is not an HTTP route (e.g. the narrative processor). */
  async lookup(kind: TaxonomyKind, slug: string): Promise<TaxonomyItem | undefined> {
    const key = await this.cache.keyFor('taxonomy', `item:${kind}:${slug}`);
    const found = await this.cache.wrap(key, async () =>
      JSON.stringify((await this.repository.get(kind, slug)) ?? null),
    );
    return JSON.parse(found.value) ?? undefined;
  }

  async put(kind: TaxonomyKind, slug: string, fields: TaxonomyItemFields) {
    const result = await this.repository.put(kind, slug, fields);
    await this.cache.invalidate('taxonomy', String(result.version));
    return result;
  }

  async delete(kind: TaxonomyKind, slug: string) {
    const result = await this.repository.delete(kind, slug);
    if (result.deleted) await this.cache.invalidate('taxonomy', String(result.version));
    return result;
  }
}
