import type { Logger } from 'pino';

/** Writes the line for one answered request. */
export type RequestLog = (id: string, method: string, url: string, status: number, ms: number) => void;

/**
 * One line per answered request: id, method, path (never the query string, which may carry secrets),
 * status and time. Errors at `error`, 4xx at `warn`, the rest at `info`; health probes are not logged,
 * since every balancer polls every instance every few seconds.
 */
export function requestLog(logger: Logger): RequestLog {
  return (id, method, url, status, ms) => {
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    const path = url.split('?', 1)[0];
    if (path.startsWith('/health')) return;
    logger[level](
      {
        reqId: id,
        req: { method, path },
        res: { statusCode: status },
        responseTime: Math.round(ms * 10) / 10,
      },
      'request completed',
    );
  };
}
