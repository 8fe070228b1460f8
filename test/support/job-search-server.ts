import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback job-search provider at `GET /search?q=&location=&remote=&limit=`. Most queries get postings
 * made from the query; a few query words make it misbehave, so one configured URL covers every case:
 * `slow` (answers after `slowMs`), `elsewhere` (302 to another origin, `localhost` instead of 127.0.0.1),
 * `moved` (302 within the origin, to /v2/search), `huge` (a body of `hugeBytes`), `broken` (500 with
 * Retry-After), `denied` (403). Every request's URL is recorded.
 */
export class JobSearchServer {
  readonly requests: URL[] = [];
  /** Arrival time (epoch ms) of each request, by index in `requests`. */
  readonly arrivals: number[] = [];
  slowMs = 3_000;
  hugeBytes = 4 * 1024 * 1024;
  /** A slow answer's wait outlives the client that gave up on it; close() cancels it. */
  private readonly waits = new Set<NodeJS.Timeout>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<JobSearchServer> {
    const server = createServer();
    const stub = new JobSearchServer(server);
    server.on('request', (req, res) => void stub.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return stub;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/search?api=1`;
  }

  async close(): Promise<void> {
    for (const wait of this.waits) clearTimeout(wait);
    this.waits.clear();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    this.requests.push(url);
    this.arrivals.push(Date.now());
    const q = url.searchParams.get('q') ?? '';
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (q === 'elsewhere') {
      res.writeHead(302, { location: `http://localhost:${this.port}/search?q=engineer` }).end();
    } else if (q === 'moved' && url.pathname === '/search') {
      res.writeHead(302, { location: `/v2/search${url.search}` }).end();
    } else if (q === 'slow') {
      await new Promise<void>((r) => {
        const wait = setTimeout(() => (this.waits.delete(wait), r()), this.slowMs);
        this.waits.add(wait);
      });
      if (!res.destroyed) json(200, { results: [] });
    } else if (q === 'huge') {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Streamed in pieces without a Content-Length, so only counting the bytes can catch it.
      res.write('{"results":[],"padding":"');
      for (let sent = 0; sent < this.hugeBytes && !res.destroyed; sent += 64 * 1024) {
        if (!res.write('x'.repeat(64 * 1024))) await new Promise((r) => res.once('drain', r));
      }
      res.end('"}');
    } else if (q === 'broken') {
      json(500, { error: 'down' }, { 'retry-after': '1' });
    } else if (q === 'denied') {
      json(403, { error: 'no' });
    } else {
      const limit = Number(url.searchParams.get('limit') ?? 20);
      const results = Array.from({ length: Math.min(limit, 3) }, (_, i) => ({
        title: `${q} ${i + 1}`,
        company: `Company ${i + 1}`,
        location: url.searchParams.get('location') ?? 'Berlin',
        remote: url.searchParams.get('remote') === 'true',
        url: `https://jobs.example/${encodeURIComponent(q)}/${i + 1}`,
        postedAt: `2025-05-0${i + 1}T00:00:00Z`,
        ...(i === 0 ? { score: 0.9 } : {}),
        internalId: `x-${i}`,
      }));
      json(200, { total: 42, results });
    }
  }
}
