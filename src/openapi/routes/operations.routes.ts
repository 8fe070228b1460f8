import { flushBodySchema } from '../../cache/cache-admin.controller.js';
import { healthSchema } from '../api-schemas.js';
import type { RouteDocs } from '../route-doc.js';

const text = (description: string, contentType: string) => ({
  description,
  schema: { type: 'string' },
  contentType,
});

/** Health, metrics, cache administration: the routes every deployment's tooling calls. */
export const OPERATIONS_ROUTES: RouteDocs = {
  'GET /health/live': {
    summary: 'Liveness: 200 whenever the process answers',
    description: 'Consults no dependency, so an outage of Redis or the database never restarts the process.',
    tag: 'health',
    access: 'public',
    responses: { 200: { description: 'Alive', schema: healthSchema } },
  },
  'GET /health/ready': {
    summary: 'Readiness for load balancers',
    description:
      '503 while starting and from the first moment of a shutdown; otherwise only the dependencies in ' +
      '`READINESS_REQUIRES` decide. Every dependency is reported either way.',
    tag: 'health',
    access: 'public',
    responses: {
      200: { description: 'Ready', schema: healthSchema },
      503: { description: 'Not ready (same body, `status: "error"`)', schema: healthSchema },
    },
  },
  'GET /health': {
    summary: 'Every dependency: redis-cache, redis-queue, database',
    tag: 'health',
    access: 'public',
    responses: {
      200: { description: 'All up', schema: healthSchema },
      503: { description: 'At least one dependency is down', schema: healthSchema },
    },
  },
  'GET /metrics': {
    summary: 'Prometheus metrics of this process',
    description:
      'Prometheus text format. Needs `Authorization: Bearer <METRICS_TOKEN>` when that variable is set; ' +
      'API keys are not accepted here. See docs/operations.md for every series.',
    tag: 'operations',
    access: 'metrics-token',
    responses: { 200: text('The metrics', 'text/plain; version=0.0.4') },
  },
  'POST /v1/admin/cache/flush': {
    summary: 'Empty the cache, one namespace or all',
    description:
      'Empties the memory tier of every instance and deletes the cache keys in Redis (`strata:cache:*`); ' +
      'queue data and other applications are untouched. 503 when Redis could not be flushed.',
    tag: 'operations',
    access: 'admin',
    body: flushBodySchema,
    responses: { 204: { description: 'Flushed' } },
    errors: [503],
  },
};

/** Served by Fastify plugins rather than controllers, so the document gets them from here alone. */
export const DOCS_ROUTES: RouteDocs = {
  'GET /docs': {
    summary: 'Swagger UI for this document',
    tag: 'operations',
    access: 'public',
    responses: { 200: text('The UI', 'text/html') },
  },
  'GET /docs/openapi.json': {
    summary: 'This OpenAPI document',
    tag: 'operations',
    access: 'public',
    responses: { 200: { description: 'The document', schema: { type: 'object' } } },
  },
};

export const BULL_BOARD_ROUTES: RouteDocs = {
  'GET /admin/queues': {
    summary: 'Bull Board: the task queues and their jobs',
    description:
      'HTTP Basic auth with an admin key: user = the key id, password = the key. Read-only unless ' +
      '`BULL_BOARD_READ_ONLY=false`. The page calls its own JSON API under `/admin/queues/api/`, which ' +
      "is Bull Board's and not part of this API.",
    tag: 'operations',
    access: 'basic-admin',
    responses: { 200: text('The dashboard', 'text/html') },
  },
};
