// The floor of (b): the least an HTTP producer can do on this machine. node:http, JSON.parse, one
// Queue.add with our job options, a 202 with a small JSON body; no auth, validation, owner index, rate
// limit, logging or metrics. What (b) costs beyond this is the API's own work; what this costs beyond
// (a) is the HTTP exchange alone. argv: port, redis url, job options as JSON. Prints "ready".
import { createServer } from 'node:http';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

const [port, redisUrl, jobOptions] = process.argv.slice(2);
const connection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
const queue = new Queue('noop', { connection, prefix: 'strata', defaultJobOptions: JSON.parse(jobOptions) });
await queue.waitUntilReady();

createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const { input } = JSON.parse(Buffer.concat(chunks).toString());
    queue.add('noop', { input, owner: 'bench' }).then(
      (job) => {
        const self = `/v1/tasks/noop_${job.id}`;
        const body = JSON.stringify({
          id: `noop_${job.id}`,
          type: 'noop',
          state: 'waiting',
          createdAt: new Date(job.timestamp).toISOString(),
          links: { self, events: `${self}/events` },
        });
        res.writeHead(202, { 'content-type': 'application/json; charset=utf-8', location: self }).end(body);
      },
      () => res.writeHead(503).end(),
    );
  });
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => process.exit(0));
