import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { ApplicationConfig, ModulesContainer, Reflector } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import FindMyWay from 'find-my-way';
import { ApiKeyService } from '../auth/api-key.service.js';
import { presentedKey } from '../auth/presented-key.js';
import { CachedRouteInterceptor } from '../cache/cached-route.interceptor.js';
import { CACHED_ROUTE_HANDLER, type CachedRouteHandler } from '../cache/cached-route.options.js';
import { CacheNamespaces } from '../cache/cache-namespaces.registry.js';
import {
  type CachedEntry,
  cacheKeyFor,
  cachedAnswer,
  decodeEntry,
  decodeKeptEntry,
} from '../cache/cached-response.util.js';
import { ResilientCache } from '../cache/resilient-cache.service.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { afterReads } from '../http/after-reads.util.js';
import { IS_PUBLIC, REQUIRES_ADMIN } from '../http/route-access.decorators.js';
import { type FeatureOf, featureTemplate } from '../rate-limit/feature-template.js';
import type { MaybePromise, RateDecision } from '../rate-limit/rate-decision.js';
import { RATE_LIMIT_FEATURE } from '../rate-limit/rate-limited.decorator.js';
import { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import { EdgeGuard } from './edge.guard.js';
import { EdgeHandoff } from './edge-handoff.js';
import { EdgeHeaders } from './edge-headers.js';
import { fastPathBlocker } from './fast-path-blocker.js';
import { FastPathReport } from './fast-path-report.js';
import { RequestPolicies } from './request-policies.service.js';
import { allow, type PolicyVerdict } from './request-policy.js';

/** Records an answer (metrics, request log) as Fastify's `onResponse` hooks do for every other. */
export type Answered = (id: string, route: string, url: string, status: number, ms: number) => void;

interface FastRoute extends CachedRouteHandler {
  url: string;
  feature: FeatureOf;
  /** What every answer of the route carries whatever the entry: CORS, then security headers; for HTTP, then HTTPS. */
  fixedHeaders: readonly [readonly string[], readonly string[]];
}

type Dispatch = (req: IncomingMessage, res: ServerResponse) => void;

/** One request on its way through the fast path, once its route is known. */
interface Pending {
  req: IncomingMessage;
  res: ServerResponse;
  route: FastRoute;
  params: Record<string, string>;
  url: string;
  started: number;
}

/**
 * The cache-hit fast path: answers hits of `@CachedRoute` routes at the HTTP server, before Fastify.
 * On a hit, a request costs a header lookup, the edge's checks, a Map read and one write, made once the
 * turn's reads are done (`afterReads`). Fastify's request and reply objects, its hooks, and Nest's
 * pipeline would cost several times that (docs/benchmarks.md).
 *
 * It offers the doors of the road it skips, from the same services: the API key (ApiKeyService), the
 * request policies (RequestPolicies, the list EdgeGuard runs), the rate limits (RateLimiter), the
 * answer (cachedAnswer) and the headers (EdgeHeaders); the metrics and the request log (`answered`).
 * What it decided travels on with a request it hands to Fastify (EdgeHandoff), so nothing is checked or
 * charged twice. Anything else goes to Fastify untouched: another method or route, no or a bad key, a
 * refusal, a pending decision, a miss, a body, an Origin header while CORS is on, a query a route
 * keys on, a server that is closing.
 *
 * It steps aside (every request goes through Nest) when CACHE_FAST_PATH=off, or when the app has
 * something that must see every request and that it does not run: see `fastPathBlocker`. A route only
 * gets it when nothing else guards it: no `@Public`/`@AdminOnly`, no guard or interceptor of its own
 * besides the cache's. Hooks added to the Fastify instance by hand are not seen.
 */
@Injectable()
export class CachedRouteFastPath implements OnApplicationBootstrap {
  private readonly logger = new Logger(CachedRouteFastPath.name);
  private router?: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;
  private headers!: EdgeHeaders;
  private record!: Answered;
  private on = false;
  private closing = false;
  private readonly served: FastRoute[] = [];
  /** The route patterns whose hits it serves (for the start log and the tests); none while off. */
  readonly routes: string[] = [];
  /** Requests it answered itself. */
  answered = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: ApiKeyService,
    private readonly policies: RequestPolicies,
    private readonly limiter: RateLimiter,
    private readonly cache: ResilientCache,
    private readonly namespaces: CacheNamespaces,
    private readonly handoff: EdgeHandoff,
    private readonly reflector: Reflector,
    private readonly appConfig: ApplicationConfig,
    private readonly modules: ModulesContainer,
    private readonly report: FastPathReport,
  ) {}

  /** Why hits go through Nest, or undefined while the fast path serves them. */
  get offReason(): string | undefined {
    return this.report.reason;
  }

  /** Before the routes are registered (the app is not yet initialised). */
  attach(fastify: FastifyInstance, headers: EdgeHeaders, answered: Answered): void {
    if (!this.config.cache.fastPath) return this.report.off('CACHE_FAST_PATH=off', false);
    const server = fastify.server;
    const listeners = server.listeners('request') as Dispatch[];
    if (listeners.length !== 1) return this.report.off('the HTTP server has no single request handler');
    this.headers = headers;
    this.record = answered;
    const { ignoreTrailingSlash, ignoreDuplicateSlashes, caseSensitive, maxParamLength } =
      fastify.initialConfig;
    const router = FindMyWay({ ignoreTrailingSlash, ignoreDuplicateSlashes, caseSensitive, maxParamLength });
    this.router = router;
    fastify.addHook('onRoute', (route) => {
      const cached = (route.config as Record<string, unknown> | undefined)?.[CACHED_ROUTE_HANDLER] as
        CachedRouteHandler | undefined;
      if (route.method !== 'GET' || !cached || !this.eligible(cached)) return;
      const fixed = (secure: boolean) => headers.fixed(route.url, secure);
      const fast: FastRoute = {
        ...cached,
        url: route.url,
        feature: featureTemplate(this.reflector.get<string>(RATE_LIMIT_FEATURE, cached.handler)),
        fixedHeaders: [fixed(false), fixed(true)],
      };
      router.on('GET', route.url, () => undefined, fast);
      this.served.push(fast);
      this.routes.push(route.url);
    });
    // From here on Fastify answers 503 to new requests; those must reach it.
    fastify.addHook('preClose', (done) => {
      this.closing = true;
      done();
    });
    const [dispatch] = listeners;
    server.removeListener('request', dispatch);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!this.on) return dispatch(req, res);
      try {
        this.serve(req, res, dispatch);
      } catch (err) {
        this.failed(err, req, res, dispatch);
      }
    });
  }

  /** Routes are registered and every global enhancer and middleware is known: on, or off and why. */
  onApplicationBootstrap(): void {
    if (!this.router) return;
    for (const { url, options } of this.served) {
      // Namespaces are registered at init, after the routes: this is the first moment the list is whole.
      if (!this.namespaces.has(options.namespace)) {
        throw new Error(
          `GET ${url} is cached in namespace "${options.namespace}", which no module registered (ResilientCache.registerNamespace)`,
        );
      }
    }
    const blocker = fastPathBlocker(this.appConfig, this.modules, (guard) => guard instanceof EdgeGuard);
    if (blocker) {
      this.routes.length = 0;
      return this.report.off(`${blocker} would not see the requests it answers`);
    }
    this.on = true;
    this.report.on(this.routes);
  }

  /** A bug here must cost a request its fast answer, never the answer. */
  private failed(err: unknown, req: IncomingMessage, res: ServerResponse, dispatch: Dispatch): void {
    this.logger.error(`cached read handed to Fastify after an error: ${(err as Error)?.message ?? err}`);
    if (!res.headersSent) dispatch(req, res);
  }

  private serve(req: IncomingMessage, res: ServerResponse, dispatch: Dispatch): void {
    if (req.method !== 'GET' || this.closing || !this.cache.enabled) return dispatch(req, res);
    const started = performance.now();
    const url = req.url ?? '/';
    const cut = url.indexOf('?');
    const path = cut === -1 ? url : url.slice(0, cut);
    const found = this.router!.find('GET', path);
    const route = found?.store as FastRoute | undefined;
    if (!found || !route || !this.plain(req, route, cut !== -1)) return dispatch(req, res);
    const principal = this.keys.authenticate(presentedKey(req.headers));
    if (!principal) return dispatch(req, res);
    const params = found.params as Record<string, string>;
    const pending: Pending = { req, res, route, params, url, started };
    const verdict: MaybePromise<PolicyVerdict> | undefined =
      this.policies.size === 0
        ? undefined
        : this.policies.check({ method: 'GET', path, route: route.url, params, headers: req.headers, principal });
    const next = (v: PolicyVerdict | undefined) => {
      if (v && !v.allow) return this.handOn(pending, dispatch, { principal, verdict: v, rate: undefined });
      const rate = this.limiter.check(principal.id, route.feature(params) || undefined);
      const decision = { principal, verdict: v ?? allow(), rate };
      if (rate !== undefined && (rate instanceof Promise || !rate.allowed)) {
        return this.handOn(pending, dispatch, decision);
      }
      this.lookUp(pending, dispatch, rate, () => this.handOn(pending, dispatch, decision));
    };
    if (verdict instanceof Promise) {
      verdict.then(next).catch((err: unknown) => this.failed(err, req, res, dispatch));
    } else {
      next(verdict);
    }
  }

  private handOn(pending: Pending, dispatch: Dispatch, decision: Parameters<EdgeHandoff['give']>[1]): void {
    if (pending.res.destroyed) return;
    this.handoff.give(pending.req, decision);
    dispatch(pending.req, pending.res);
  }

  /** The memory tier, then the Redis tier; a miss goes to Fastify (`miss`), whose interceptor loads it. */
  private lookUp(p: Pending, dispatch: Dispatch, rate: RateDecision | undefined, miss: () => void): void {
    const key = this.cache.peekKey(p.route.options.namespace, cacheKeyFor('GET', p.url, undefined, p.route.options.query));
    if (key === undefined) return miss();
    // Misses are counted by the interceptor's own lookup, which a miss here leads to.
    const entry = this.cache.peekAs(key, decodeKeptEntry, { countMiss: false });
    const answer = (found: CachedEntry) => {
      try {
        if (!p.res.destroyed) this.answer(p, found, rate);
      } catch (err) {
        this.failed(err, p.req, p.res, dispatch);
      }
    };
    if (entry !== undefined) return afterReads(() => answer(entry));
    this.cache
      .getFromRedis(key, undefined, { countMiss: false })
      .then((hit) => (hit ? answer(decodeEntry(hit.value)) : miss()))
      .catch((err: unknown) => this.failed(err, p.req, p.res, dispatch));
  }

  /** A request whose answer the cache alone decides: no body, no CORS to work out, no query to parse. */
  private plain(req: IncomingMessage, route: FastRoute, hasQuery: boolean): boolean {
    const { headers } = req;
    if (headers['transfer-encoding'] !== undefined) return false;
    if (headers['content-length'] !== undefined && headers['content-length'] !== '0') return false;
    if (this.headers.corsOn && headers.origin !== undefined) return false;
    return !hasQuery || !route.options.query?.length;
  }

  private answer(p: Pending, entry: CachedEntry, rate: RateDecision | undefined): void {
    const { req, res, route } = p;
    const id = this.headers.requestId(req);
    const answer = cachedAnswer(entry, req.headers['if-none-match'], 'HIT');
    const headers = [
      this.headers.requestIdHeader,
      id,
      ...route.fixedHeaders[this.headers.secure(req) ? 1 : 0],
      ...(rate ? EdgeHeaders.rateLimit(rate).headers : NO_HEADERS),
      ...answer.headers,
    ];
    res.writeHead(answer.status, headers).end(answer.body);
    this.answered++;
    this.record(id, route.url, p.url, answer.status, performance.now() - p.started);
  }

  private eligible({ handler, controller }: CachedRouteHandler): boolean {
    const targets = [handler, controller];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return false;
    if (this.reflector.getAllAndOverride<boolean>(REQUIRES_ADMIN, targets)) return false;
    const guards = targets.flatMap((t) => (Reflect.getMetadata(GUARDS_METADATA, t) as unknown[]) ?? []);
    const interceptors = targets.flatMap(
      (t) => (Reflect.getMetadata(INTERCEPTORS_METADATA, t) as unknown[]) ?? [],
    );
    return guards.length === 0 && interceptors.every((i) => i === CachedRouteInterceptor);
  }
}

const NO_HEADERS: readonly string[] = [];
