import { createHash } from 'node:crypto';
import type { ResilientCache } from '../../cache/resilient-cache.service.js';
import type { AppConfig } from '../../config/load-config.js';
import { PermanentTaskError, type TaskContext } from '../../tasks/task-processor.host.js';
import { boundedFetch } from '../shared/bounded-fetch.js';
import { type JobSearchInput, jobSearchInputSchema } from './job-search.dto.js';
import type { JobSearchSource } from './job-search-source.js';
import { jobSearchRequestUrl, mapProviderAnswer, providerAnswerSchema } from './http-job-search.mapping.js';
import type { JobSearchResult } from './search-jobs.js';

export type HttpJobSearchResult = JobSearchResult & { source: 'http'; cached: boolean };

const PROVIDER = 'the job-search provider';

/**
 * Searches through the configured HTTP provider. Identical searches (same parsed input) within
 * JOB_SEARCH_CACHE_TTL_S are answered from the resilient cache, so the provider sees one request; the
 * cache's single flight also merges identical searches running at the same moment on one worker.
 */
export class HttpJobSearch implements JobSearchSource {
  constructor(
    private readonly settings: NonNullable<AppConfig['adapters']['jobSearch']>,
    private readonly cache: ResilientCache,
  ) {}

  async search(input: JobSearchInput, context: TaskContext): Promise<HttpJobSearchResult> {
    const parsed = jobSearchInputSchema.parse(input);
    const load = async () => JSON.stringify(await this.fetch(parsed, context.signal));
    if (this.settings.cacheTtlMs === 0) return { ...JSON.parse(await load()), source: 'http', cached: false };
    const identity = JSON.stringify([
      parsed.query,
      parsed.location ?? null,
      parsed.remote ?? null,
      parsed.limit,
    ]);
    const key = await this.cache.keyFor('job-search', createHash('sha256').update(identity).digest('hex'));
    const found = await this.cache.wrap(key, load, this.settings.cacheTtlMs);
    return { ...JSON.parse(found.value), source: 'http', cached: found.tier !== 'origin' };
  }

  private async fetch(input: JobSearchInput, signal?: AbortSignal): Promise<JobSearchResult> {
    const res = await boundedFetch(jobSearchRequestUrl(this.settings.url, input), {
      provider: PROVIDER,
      timeoutMs: this.settings.timeoutMs,
      maxBytes: this.settings.maxBytes,
      signal,
      headers: {
        accept: 'application/json',
        ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}),
      },
    });
    let body: unknown;
    try {
      body = JSON.parse(res.body.toString('utf8'));
    } catch {
      throw new Error(`${PROVIDER} answered something other than JSON`);
    }
    const answer = providerAnswerSchema.safeParse(body);
    // A malformed answer is the provider's bug; retrying will not change it.
    if (!answer.success) {
      const issue = answer.error.issues[0];
      throw new PermanentTaskError(
        `${PROVIDER}'s answer does not match the documented shape (${issue.path.join('.')}: ${issue.message})`,
      );
    }
    return mapProviderAnswer(answer.data, jobSearchInputSchema.parse(input).limit);
  }
}
