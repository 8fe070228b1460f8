import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's `genReqId`: a caller's request id is kept when it is harmless, so logs join up across
 * services; anything else gets a fresh UUID. Stored on the raw request too, where pino-http finds it.
 */
export function requestIdGenerator(header: string) {
  return (req: IncomingMessage): string => {
    const given = req.headers[header];
    const id = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    (req as { id?: string }).id = id;
    return id;
  };
}

/** Echoes the id on every response, errors and 404s included. */
export function echoRequestId(fastify: FastifyInstance, header: string): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(header, request.id);
    done();
  });
}
