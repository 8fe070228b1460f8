import { z } from 'zod';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { OPERATIONS_TAG, type ResponseDoc } from '../http/route-doc.js';
import { RouteDocSet, routeDocsProvider } from '../http/route-doc-set.js';

const unauthorized: ResponseDoc = {
  description: 'No metrics token, or a wrong one',
  schema: { $ref: '#/components/schemas/ErrorBody' },
  headers: { 'WWW-Authenticate': 'WWW-Authenticate' },
};

/** `GET /metrics`: protected by METRICS_TOKEN only when it is set, and the document says which. */
export const metricsRouteDocs = routeDocsProvider(
  'metrics',
  (config: AppConfig) =>
    new RouteDocSet([OPERATIONS_TAG], () => ({
      'GET /metrics': {
        operationId: 'getMetrics',
        summary: 'Prometheus metrics of this process',
        description:
          'Prometheus text format. ' +
          (config.ops.metricsToken === undefined
            ? 'METRICS_TOKEN is not set in this deployment, so no credentials are needed. '
            : 'Needs `Authorization: Bearer <METRICS_TOKEN>`; API keys are not accepted here. ') +
          'See docs/operations.md for every series.',
        tag: OPERATIONS_TAG.name,
        access: config.ops.metricsToken === undefined ? 'public' : 'metrics-token',
        responses: {
          200: {
            description: 'The metrics',
            schema: z.string().meta({ example: '# HELP strata_http_requests_total ...' }),
            contentType: 'text/plain; version=0.0.4',
          },
          ...(config.ops.metricsToken === undefined
            ? {}
            : ({ 401: unauthorized } as Record<number, ResponseDoc>)),
        },
      },
    })),
  [APP_CONFIG],
);
