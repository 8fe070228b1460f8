import { z } from 'zod';
import { booleanFlag, defineConfigSection, optionalString } from './config-section.js';

export const operationsConfig = defineConfigSection(
  {
    METRICS_TOKEN: optionalString().pipe(z.string().min(16, 'at least 16 characters').optional()),
    API_DOCS_ENABLED: booleanFlag(true),
    BULL_BOARD_ENABLED: booleanFlag(true),
    BULL_BOARD_READ_ONLY: booleanFlag(true),
  },
  (v) => ({
    /** Set: `GET /metrics` needs `Authorization: Bearer <token>`. Unset: open (keep the port private). */
    metricsToken: v.METRICS_TOKEN,
    /** Swagger UI at `/docs`, the document at `/docs/openapi.json` (api and all roles). */
    apiDocs: v.API_DOCS_ENABLED,
    /** Bull Board at `/admin/queues` (api and all roles), admin keys only. */
    bullBoard: v.BULL_BOARD_ENABLED,
    /** The dashboard can retry, promote and remove jobs only when this is false. */
    bullBoardReadOnly: v.BULL_BOARD_READ_ONLY,
  }),
);
