import { Injectable } from '@nestjs/common';
import { CACHE_NAMESPACE_PATTERN, type CacheNamespace } from './cache.constants.js';

/** Supplies the current generation of a namespace (e.g. the taxonomy version) from the source of truth. */
export type GenerationSource = () => Promise<string>;

/**
 * The namespaces of this process's cached data, each added by the module that owns it (a feature's
 * service, at init: `ResilientCache.registerNamespace`), never listed in the cache's own code. The
 * invalidation bus, the admin flush and the tests read them from here.
 */
@Injectable()
export class CacheNamespaces {
  private readonly sources = new Map<CacheNamespace, GenerationSource | undefined>();

  /** `source`: where the generation comes from; none: the namespace stays at generation `0` until a write. */
  add(namespace: CacheNamespace, source?: GenerationSource): void {
    if (!CACHE_NAMESPACE_PATTERN.test(namespace)) {
      throw new Error(`cache namespace "${namespace}" must match ${CACHE_NAMESPACE_PATTERN}`);
    }
    if (this.sources.get(namespace) && source) {
      throw new Error(`cache namespace "${namespace}" has two generation sources`);
    }
    if (!this.sources.get(namespace)) this.sources.set(namespace, source);
  }

  has(namespace: string): boolean {
    return this.sources.has(namespace);
  }

  names(): CacheNamespace[] {
    return [...this.sources.keys()];
  }

  sourceOf(namespace: CacheNamespace): GenerationSource | undefined {
    return this.sources.get(namespace);
  }

  /** The namespaces whose generation is read from a source (at start, and after every outage). */
  withSources(): [CacheNamespace, GenerationSource][] {
    return [...this.sources].filter((entry): entry is [CacheNamespace, GenerationSource] => !!entry[1]);
  }
}
