// The baselines. (a): a bare Fastify server answering with the same JSON bytes, from memory.
// (a2), with a third argument (the service's answer headers as base64 JSON `[name, value, ...]`): a raw
// Node server sending those bytes with those headers and a fresh request id, the ceiling of any server
// that answers with this header set on this machine.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Fastify from 'fastify';

const [port, body, headersArg] = [
  Number(process.argv[2]),
  Buffer.from(process.argv[3], 'base64'),
  process.argv[4],
];
const PATH = '/v1/taxonomy/masks';

if (headersArg) {
  const headers = JSON.parse(Buffer.from(headersArg, 'base64').toString());
  const id = headers.indexOf('x-request-id') + 1;
  const server = createServer((req, res) => {
    if (req.url !== PATH) return res.writeHead(404).end();
    const answer = headers.slice();
    if (id > 0) answer[id] = randomUUID();
    res.writeHead(200, answer).end(body);
  });
  // As Fastify's default, which the service keeps.
  server.keepAliveTimeout = 72_000;
  server.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => process.exit(0));
} else {
  const app = Fastify({ logger: false });
  app.get(PATH, (_req, reply) => {
    reply.header('content-type', 'application/json; charset=utf-8').send(body);
  });
  await app.listen({ port, host: '127.0.0.1' });
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
}
