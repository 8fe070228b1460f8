import { JOB_POSTINGS } from './job-postings.data.js';
import type { JobPosting } from './job-posting.model.js';
import { type JobSearchInput, jobSearchInputSchema } from './job-search.dto.js';
import { foldText } from './fold-text.util.js';
import { tokenize } from './tokenize.util.js';

export type JobSearchHit = Pick<
  JobPosting,
  'title' | 'company' | 'location' | 'remote' | 'url' | 'postedAt'
> & {
  /** Relevance in [0, 1], rounded to 3 decimals. */
  score: number;
};

export interface JobSearchResult {
  /** Every posting that matched, before `limit` was applied. */
  total: number;
  results: JobSearchHit[];
}

interface IndexedPosting {
  posting: JobPosting;
  titleTokens: string[];
  fields: { tokens: Set<string>; weight: number }[];
  foldedLocation: string;
}

interface DatasetIndex {
  postings: IndexedPosting[];
  documentFrequency: Map<string, number>;
}

// A title hit is what a person searching means; a word deep in the description is weak evidence.
const TITLE_WEIGHT = 1;
const SKILLS_WEIGHT = 0.6;
const DESCRIPTION_WEIGHT = 0.3;
// "engineer" finding "engineering" is useful, but less certain than the word itself.
const PREFIX_FACTOR = 0.7;
const MIN_PREFIX_LENGTH = 3;
// Share of the score reserved for the whole query appearing, in order, in the title.
const PHRASE_SHARE = 0.1;

const indexCache = new WeakMap<readonly JobPosting[], DatasetIndex>();

function indexDataset(dataset: readonly JobPosting[]): DatasetIndex {
  const cached = indexCache.get(dataset);
  if (cached) return cached;
  const documentFrequency = new Map<string, number>();
  const postings = dataset.map((posting): IndexedPosting => {
    const titleTokens = tokenize(posting.title);
    const fields = [
      { tokens: new Set(titleTokens), weight: TITLE_WEIGHT },
      { tokens: new Set(tokenize(posting.skills.join(' '))), weight: SKILLS_WEIGHT },
      { tokens: new Set(tokenize(posting.description)), weight: DESCRIPTION_WEIGHT },
    ];
    for (const token of new Set(fields.flatMap((field) => [...field.tokens]))) {
      documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
    }
    return { posting, titleTokens, fields, foldedLocation: foldText(posting.location) };
  });
  const index = { postings, documentFrequency };
  indexCache.set(dataset, index);
  return index;
}

function tokenMatch(token: string, tokens: Set<string>): number {
  if (tokens.has(token)) return 1;
  if (token.length < MIN_PREFIX_LENGTH) return 0;
  for (const candidate of tokens) {
    if (candidate.startsWith(token)) return PREFIX_FACTOR;
  }
  return 0;
}

// Code-unit order, not localeCompare: the ranking must not depend on the server's locale.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function containsSequence(haystack: string[], needle: string[]): boolean {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let i = 0; i < needle.length; i++) {
      if (haystack[start + i] !== needle[i]) continue outer;
    }
    return true;
  }
  return false;
}

/**
 * Rare words decide relevance: in "python developer" the posting that says "python" matters more than
 * the many that say "developer", so each query token counts by its inverse document frequency.
 */
function scorePosting(entry: IndexedPosting, queryTokens: string[], idf: number[]): number {
  let matched = 0;
  let possible = 0;
  queryTokens.forEach((token, i) => {
    const best = Math.max(...entry.fields.map((field) => field.weight * tokenMatch(token, field.tokens)));
    matched += idf[i] * best;
    possible += idf[i];
  });
  if (matched === 0) return 0;
  const phrase = containsSequence(entry.titleTokens, queryTokens) ? 1 : 0;
  return (1 - PHRASE_SHARE) * (matched / possible) + PHRASE_SHARE * phrase;
}

/**
 * Ranks postings by relevance to a free-text query. Ties go to the newer posting, then to the url, so
 * the same query over the same dataset always returns the same page.
 */
export function searchJobs(
  input: JobSearchInput,
  dataset: readonly JobPosting[] = JOB_POSTINGS,
): JobSearchResult {
  const { query, location, remote, limit } = jobSearchInputSchema.parse(input);
  const queryTokens = [...new Set(tokenize(query))];
  if (queryTokens.length === 0) return { total: 0, results: [] };

  const index = indexDataset(dataset);
  const total = index.postings.length;
  const idf = queryTokens.map((token) =>
    Math.log(1 + total / (1 + (index.documentFrequency.get(token) ?? 0))),
  );
  const wantedLocation = location ? foldText(location) : undefined;

  const hits: JobSearchHit[] = [];
  for (const entry of index.postings) {
    const { posting } = entry;
    if (remote !== undefined && posting.remote !== remote) continue;
    if (wantedLocation && !entry.foldedLocation.includes(wantedLocation)) continue;
    const score = Math.round(scorePosting(entry, queryTokens, idf) * 1000) / 1000;
    if (score <= 0) continue;
    const { title, company, location: where, url, postedAt } = posting;
    hits.push({ title, company, location: where, remote: posting.remote, url, postedAt, score });
  }

  hits.sort((a, b) => b.score - a.score || compareText(b.postedAt, a.postedAt) || compareText(a.url, b.url));
  return { total: hits.length, results: hits.slice(0, limit) };
}
