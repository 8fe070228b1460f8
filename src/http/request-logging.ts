import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/**
 * One line per answered request: id, method, path (never the query string, which may carry secrets),
 * status and time. Errors at `error`, 4xx at `warn`, the rest at `info`; health probes are not logged,
 * since every balancer polls every instance every few seconds.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (!logger.isLevelEnabled(level)) return done();
    const path = request.url.split('?', 1)[0];
    if (!path.startsWith('/health')) {
      logger[level](
        {
          reqId: request.id,
          req: { method: request.method, path },
          res: { statusCode: status },
          responseTime: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });
}
