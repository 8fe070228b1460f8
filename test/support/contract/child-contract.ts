import { checkExchange } from './contract-log.js';
import { ContractValidator } from './contract-validator.js';

type Documents = () => Promise<ContractValidator | undefined>;

/** Origins (`127.0.0.1:<port>`) of service processes the tests started, with their documents. */
const children = new Map<string, Documents>();
const pending = new Set<Promise<void>>();
const plainFetch = globalThis.fetch;

/**
 * A service process (`dist/main.js`, test/support/service-process.ts) cannot be tapped from inside, so
 * the answers the tests fetch from it are checked as they arrive: against the document it serves
 * (`/docs/openapi.json`), or for a worker's health port, the health and metrics routes it has.
 */
export function watchChildContract(env: Record<string, string>): void {
  const port = env.PORT ?? env.HEALTH_PORT;
  if (!port) return;
  const runsApi = (env.APP_ROLE ?? 'all') !== 'worker';
  let validator: Promise<ContractValidator | undefined> | undefined;
  const load = async (): Promise<ContractValidator | undefined> => {
    if (runsApi) {
      if (env.API_DOCS_ENABLED === 'false') return undefined;
      const res = await plainFetch(`http://127.0.0.1:${port}/docs/openapi.json`);
      return res.ok ? new ContractValidator(await res.json()) : undefined;
    }
    // Loaded here, not up front: every test file loads this module, few start a worker process.
    const [{ loadConfig }, { healthRouteDocs }, { metricsRouteDocs }, { buildDocument }] = await Promise.all([
      import('../../../src/config/load-config.js'),
      import('../../../src/health/health.route-docs.js'),
      import('../../../src/metrics/metrics.route-docs.js'),
      import('../../../src/openapi/openapi-document.js'),
    ]);
    const config = loadConfig({ NODE_ENV: 'test', ...env });
    const doc = buildDocument([healthRouteDocs.useFactory(), metricsRouteDocs.useFactory(config)], {
      title: 'worker',
      version: 'v1',
      description: 'A worker process: its health port',
      servers: [],
      requestIdHeader: config.server.requestIdHeader,
      bodyLimitBytes: config.server.bodyLimitBytes,
    });
    return new ContractValidator(JSON.parse(JSON.stringify(doc)));
  };
  children.set(`127.0.0.1:${port}`, () => (validator ??= load().catch(() => undefined)));
  installFetchCheck();
}

/** Waits for the checks of answers still being read (called before the file's verdict). */
export async function childChecksDone(): Promise<void> {
  await Promise.allSettled(pending);
}

let installed = false;
function installFetchCheck(): void {
  if (installed) return;
  installed = true;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await plainFetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const documents = children.get(url.host);
    if (!documents) return response;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = Object.fromEntries([...response.headers].map(([k, v]) => [k.toLowerCase(), v]));
    // A stream stays open as long as the test likes: its status and headers are checked, not its events.
    const streaming = (headers['content-type'] ?? '').startsWith('text/event-stream');
    const copy = streaming ? undefined : response.clone();
    const check = (async () => {
      const body = copy ? Buffer.from(await copy.arrayBuffer()) : Buffer.alloc(0);
      const validator = await documents();
      if (!validator) return;
      checkExchange(validator, {
        method,
        url: url.pathname + url.search,
        status: response.status,
        headers: streaming ? { ...headers, 'content-type': 'text/event-stream' } : headers,
        body,
        complete: !streaming,
      });
    })().catch(() => undefined);
    pending.add(check);
    void check.finally(() => pending.delete(check));
    return response;
  };
}
