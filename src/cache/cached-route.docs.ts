import { z } from 'zod';
import type { ParamDoc, ResponseDoc } from '../http/route-doc.js';

const answerHeaders = { ETag: 'ETag', 'Cache-Control': 'Cache-Control', 'X-Cache': 'X-Cache' } as const;

/**
 * What the route docs of a `@CachedRoute` GET say, whichever module owns it: the answer's cache headers,
 * the `If-None-Match` it honours and the 304 that gets. The interceptor and the fast path send these for
 * every cached route alike, so the docs come from one place too.
 */
export const cachedRouteDocs = {
  description:
    'Cached (memory and Redis, never older than the last write); answers carry `ETag` and ' +
    '`X-Cache: HIT|MISS`, and a matching `If-None-Match` gets a 304 with no body.',
  /** The request headers, for the route doc's `headers`. */
  requestHeaders: {
    'if-none-match': {
      description: 'An ETag from an earlier answer',
      schema: z.string(),
      example: '"k3x9f0q"',
    },
  } satisfies Record<string, ParamDoc>,
  /** The headers of a 200, for its `headers`. */
  answerHeaders,
  notModified: {
    description: 'Unchanged since the ETag sent in `If-None-Match`',
    headers: answerHeaders,
  } satisfies ResponseDoc,
};
