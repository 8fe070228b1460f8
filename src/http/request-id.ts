import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A request's id: the caller's, when it is harmless, so logs join up across services; else a fresh UUID.
 * For answers written without Fastify (the cached-read fast path), which no pino-http logger reads.
 */
export function requestIdReader(header: string) {
  return (req: IncomingMessage): string => {
    const given = req.headers[header];
    return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
  };
}

/** Fastify's `genReqId`: the same id, stored on the raw request too, where pino-http finds it. */
export function requestIdGenerator(header: string) {
  const read = requestIdReader(header);
  return (req: IncomingMessage): string => {
    const id = read(req);
    (req as { id?: string }).id = id;
    return id;
  };
}
