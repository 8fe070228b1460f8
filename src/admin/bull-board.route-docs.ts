import { z } from 'zod';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { OPERATIONS_TAG, type RouteDocs } from '../http/route-doc.js';
import { RouteDocSet, routeDocsProvider } from '../http/route-doc-set.js';

/** The dashboard's entry page, when BULL_BOARD_ENABLED; its own assets and JSON API are Bull Board's. */
export const bullBoardRouteDocs = routeDocsProvider(
  'bull-board',
  (config: AppConfig) =>
    new RouteDocSet([OPERATIONS_TAG], (): RouteDocs =>
      config.ops.bullBoard
        ? {
            'GET /admin/queues': {
              operationId: 'getQueueDashboard',
              summary: 'Bull Board: the task queues and their jobs',
              description:
                'HTTP Basic auth with an admin key: user = the key id, password = the key. Read-only unless ' +
                '`BULL_BOARD_READ_ONLY=false`. The page calls its own JSON API under `/admin/queues/api/`, ' +
                "which is Bull Board's and not part of this API.",
              tag: OPERATIONS_TAG.name,
              access: 'basic-admin',
              responses: {
                200: { description: 'The dashboard', schema: z.string(), contentType: 'text/html' },
                401: {
                  description: 'No credentials, or not an admin key',
                  schema: { $ref: '#/components/schemas/ErrorBody' },
                  headers: { 'WWW-Authenticate': 'WWW-Authenticate' },
                },
              },
            },
          }
        : {},
    ),
  [APP_CONFIG],
);
