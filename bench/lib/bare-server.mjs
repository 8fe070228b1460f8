// The baseline: a bare Fastify server answering with the same JSON bytes, from memory.
import Fastify from 'fastify';

const [port, body] = [Number(process.argv[2]), Buffer.from(process.argv[3], 'base64')];
const app = Fastify({ logger: false });
app.get('/v1/taxonomy/masks', (_req, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(body);
});
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
