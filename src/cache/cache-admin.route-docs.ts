import { OPERATIONS_TAG } from '../http/route-doc.js';
import { RouteDocSet, routeDocsProvider } from '../http/route-doc-set.js';
import { flushBodySchema } from './cache-admin.controller.js';

export const cacheAdminRouteDocs = routeDocsProvider(
  'cache-admin',
  () =>
    new RouteDocSet([OPERATIONS_TAG], () => ({
      'POST /v1/admin/cache/flush': {
        operationId: 'flushCache',
        summary: 'Empty the cache, one namespace or all',
        description:
          'Empties the memory tier of every instance and deletes the cache keys in Redis (`strata:cache:*`); ' +
          'queue data and other applications are untouched. No body, or `{}`, flushes every namespace. ' +
          '503 when Redis could not be flushed.',
        tag: OPERATIONS_TAG.name,
        access: 'admin',
        body: flushBodySchema,
        bodyRequired: false,
        bodyExample: { namespace: 'taxonomy' },
        responses: { 204: { description: 'Flushed' } },
        errors: [503],
      },
    })),
);
