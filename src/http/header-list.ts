import type { FastifyReply } from 'fastify';

/** Sets headers given as `[name, value, ...]` (the form the cached-read fast path writes raw) on a reply. */
export function setHeaderList(reply: FastifyReply, headers: readonly string[]): void {
  for (let i = 0; i < headers.length; i += 2) void reply.header(headers[i], headers[i + 1]);
}
