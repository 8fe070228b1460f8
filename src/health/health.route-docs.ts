import { z } from 'zod';
import { RouteDocSet, routeDocsProvider } from '../http/route-doc-set.js';

const indicatorSchema = z
  .record(z.string(), z.looseObject({ status: z.enum(['up', 'down']), message: z.string().optional() }))
  .meta({ id: 'HealthIndicators', description: 'By dependency: redis-cache, redis-queue, database' });

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'error']),
    info: indicatorSchema,
    error: indicatorSchema,
    details: indicatorSchema,
    lifecycle: z.enum(['starting', 'running', 'stopping']).optional().meta({
      description: 'Readiness only, while not running',
    }),
  })
  .meta({ id: 'Health' });

const tag = 'health';

export const healthRouteDocs = routeDocsProvider(
  'health',
  () =>
    new RouteDocSet([{ name: tag, description: 'Probes for orchestrators and load balancers' }], () => ({
      'GET /health/live': {
        operationId: 'getLiveness',
        summary: 'Liveness: 200 whenever the process answers',
        description:
          'Consults no dependency, so an outage of Redis or the database never restarts the process.',
        tag,
        access: 'public',
        responses: { 200: { description: 'Alive', schema: healthSchema } },
      },
      'GET /health/ready': {
        operationId: 'getReadiness',
        summary: 'Readiness for load balancers',
        description:
          '503 while starting and from the first moment of a shutdown; otherwise only the dependencies in ' +
          '`READINESS_REQUIRES` decide. Every dependency is reported either way.',
        tag,
        access: 'public',
        responses: {
          200: { description: 'Ready', schema: healthSchema },
          503: { description: 'Not ready (same body, `status: "error"`)', schema: healthSchema },
        },
      },
      'GET /health': {
        operationId: 'getHealth',
        summary: 'Every dependency: redis-cache, redis-queue, database',
        tag,
        access: 'public',
        responses: {
          200: { description: 'All up', schema: healthSchema },
          503: { description: 'At least one dependency is down', schema: healthSchema },
        },
      },
    })),
);
