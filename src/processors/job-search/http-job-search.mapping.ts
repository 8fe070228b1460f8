import { z } from 'zod';
import { type JobSearchInput, jobSearchInputSchema } from './job-search.dto.js';
import type { JobSearchHit, JobSearchResult } from './search-jobs.js';

/**
 * The request: `GET <JOB_SEARCH_URL>?q=<query>&limit=<n>[&location=<text>][&remote=true|false]`. Query
 * parameters already in the configured URL (an API version, say) are kept.
 */
export function jobSearchRequestUrl(baseUrl: string, input: JobSearchInput): string {
  const { query, location, remote, limit } = jobSearchInputSchema.parse(input);
  const url = new URL(baseUrl);
  url.searchParams.set('q', query);
  url.searchParams.set('limit', String(limit));
  if (location) url.searchParams.set('location', location);
  if (remote !== undefined) url.searchParams.set('remote', String(remote));
  return url.href;
}

const httpUrl = z
  .string()
  .max(2_000)
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'must be an http(s) URL');

/** One posting as the provider sends it; unknown fields are dropped. */
const providerHitSchema = z.object({
  title: z.string().min(1).max(300),
  company: z.string().max(200),
  location: z.string().max(200).default(''),
  remote: z.boolean().default(false),
  // Only http(s): these links reach clients, and a `javascript:` one must not.
  url: httpUrl,
  postedAt: z.string().max(40),
  score: z.number().min(0).max(1).optional(),
});

/** The answer: `{ "total"?: number, "results": [posting, ...] }`, best first. */
export const providerAnswerSchema = z.object({
  total: z.number().int().min(0).optional(),
  results: z.array(providerHitSchema).max(1_000),
});

/**
 * Maps the provider's answer onto the offline search's result shape. A posting without a score gets one
 * from its rank, so results from either source sort and read the same.
 */
export function mapProviderAnswer(
  answer: z.output<typeof providerAnswerSchema>,
  limit: number,
): JobSearchResult {
  const kept = answer.results.slice(0, limit);
  const results: JobSearchHit[] = kept.map((hit, i) => ({
    title: hit.title,
    company: hit.company,
    location: hit.location,
    remote: hit.remote,
    url: hit.url,
    postedAt: hit.postedAt,
    score: hit.score ?? Math.round((1 - i / Math.max(kept.length, 1)) * 1000) / 1000,
  }));
  return { total: Math.max(answer.total ?? answer.results.length, results.length), results };
}
