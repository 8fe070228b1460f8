import { z } from 'zod';

/** Validates a job-search payload; the API layer reuses it so a bad request fails before it is queued. */
export const jobSearchInputSchema = z
  .object({
    query: z.string().trim().min(1).max(200),
    /** Case- and accent-insensitive substring of the posting's location. */
    location: z.string().trim().max(100).optional(),
    /** true keeps remote postings only, false on-site ones only, absent keeps both. */
    remote: z.boolean().optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .meta({ example: { query: 'nurse', location: 'Lisbon', limit: 5 } });

export type JobSearchInput = z.input<typeof jobSearchInputSchema>;

/** What a job-search task completes with. */
export const jobSearchResultSchema = z.object({
  total: z
    .number()
    .int()
    .min(0)
    .meta({ description: 'Every posting that matched, before `limit` was applied' }),
  results: z.array(
    z.object({
      title: z.string(),
      company: z.string(),
      location: z.string(),
      remote: z.boolean(),
      url: z.string(),
      postedAt: z.string().meta({ description: 'ISO 8601, UTC' }),
      score: z.number().min(0).max(1).meta({ description: 'Relevance, rounded to 3 decimals' }),
    }),
  ),
  source: z
    .literal('http')
    .optional()
    .meta({ description: 'Present when JOB_SEARCH_URL answered (absent: the built-in dataset)' }),
  cached: z
    .boolean()
    .optional()
    .meta({ description: "HTTP only: whether the provider's answer came from the cache" }),
});
