import type { IncomingMessage, ServerResponse } from 'node:http';
import { Injectable, Logger, type Type } from '@nestjs/common';
import { GUARDS_METADATA, INTERCEPTORS_METADATA } from '@nestjs/common/constants.js';
import { APP_GUARD, APP_INTERCEPTOR, DiscoveryService, ModulesContainer, Reflector } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import FindMyWay from 'find-my-way';
import { LoggerModule } from 'nestjs-pino';
import { ApiKeyGuard, presentedKey } from '../auth/api-key.guard.js';
import { ApiKeyService } from '../auth/api-key.service.js';
import { afterReads } from '../http/after-reads.util.js';
import { IS_PUBLIC, REQUIRES_ADMIN } from '../http/route-access.decorators.js';
import { type FeatureOf, featureTemplate } from '../rate-limit/feature-template.js';
import type { RateDecision } from '../rate-limit/rate-decision.js';
import {
  RATE_DECISION,
  RateLimitGuard,
  rateLimitHeaders,
  type RequestWithDecision,
} from '../rate-limit/rate-limit.guard.js';
import { RATE_LIMIT_FEATURE } from '../rate-limit/rate-limited.decorator.js';
import { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import { CachedRouteInterceptor } from '../cache/cached-route.interceptor.js';
import { CACHED_ROUTE_HANDLER, type CachedRouteHandler } from '../cache/cached-route.options.js';
import {
  type CachedEntry,
  cacheKeyFor,
  cachedAnswer,
  decodeEntry,
  decodeKeptEntry,
} from '../cache/cached-response.util.js';
import { ResilientCache } from '../cache/resilient-cache.service.js';

/** The global guards the fast path does the work of; any other would not see the requests it answers. */
const MIRRORED_GUARDS: readonly Type[] = [ApiKeyGuard, RateLimitGuard];
/**
 * Modules whose middleware the fast path may skip: nestjs-pino's binds a request-scoped logger for the
 * code a request runs in Nest, and a hit runs none (its log line is written by `answered`).
 */
const SKIPPABLE_MIDDLEWARE: readonly Type[] = [LoggerModule];

/** What Fastify's own hooks add to every answer, which the fast path must add to its own. */
export interface FastPathConventions {
  /** The request's id, as Fastify's `genReqId` works it out, and the header that echoes it. */
  requestId: (req: IncomingMessage) => string;
  requestIdHeader: string;
  /**
   * The security headers for a URL (asked once per route, of its pattern, for plain HTTP and for HTTPS),
   * as `[name, value, ...]`, and whether a request came over HTTPS.
   */
  securityHeaders: (url: string, secure: boolean) => readonly string[];
  secure: (req: IncomingMessage) => boolean;
  /**
   * What CORS adds to an answer to a request without an Origin (nothing while CORS is off); one with an
   * Origin goes to Fastify, whose CORS plugin answers it.
   */
  corsHeaders: readonly string[];
  /** Records an answer (metrics, request log) as Fastify's `onResponse` hooks do for every other. */
  answered: (id: string, route: string, url: string, status: number, ms: number) => void;
}

interface FastRoute extends CachedRouteHandler {
  url: string;
  feature: FeatureOf;
  /** What every answer of the route carries whatever the entry: CORS, then security headers; for HTTP, then HTTPS. */
  fixedHeaders: readonly [readonly string[], readonly string[]];
}

const NO_HEADERS: readonly string[] = [];

type Dispatch = (req: IncomingMessage, res: ServerResponse) => void;
type Decision = RequestWithDecision[typeof RATE_DECISION];

/**
 * Gives a request to Fastify with the rate decision the fast path paid for, so it is not counted twice.
 * Only requests handed on carry it: a property added to every answered request would give Node's own
 * HTTP code two shapes of request to handle instead of one.
 */
function handOn(req: IncomingMessage, res: ServerResponse, dispatch: Dispatch, decision: Decision): void {
  if (decision !== undefined) (req as RequestWithDecision)[RATE_DECISION] = decision;
  dispatch(req, res);
}

/**
 * Answers cache hits of `@CachedRoute` routes at the HTTP server, before Fastify. On a hit, the work of
 * a request is a header lookup, a Map read and one write, made once the turn's reads are done
 * (`afterReads`), as a Redis-tier hit's is made once its shared GET returns. Fastify's request and
 * reply objects, its hooks, and Nest's pipeline (execution context, two guards, an rxjs interceptor
 * chain) would cost several times that (docs/cache.md, docs/benchmarks.md).
 *
 * It does what those layers do, with the same code: the API key (ApiKeyService), the rate limits
 * (RateLimiter; a decision it paid for travels on with the request, so it is never counted twice), the
 * answer (cachedAnswer: ETag, 304, X-Cache, Cache-Control), and what Fastify's hooks add (request id,
 * security headers, the metrics and the request log). Anything else goes to Fastify untouched: another
 * method, another route, no or a bad key, a refused or pending rate decision, a miss, a body, an Origin
 * header while CORS is on, an allowlisted query, a server that is closing.
 *
 * A route only gets it when nothing else guards it: no `@Public`/`@AdminOnly`, no guard or interceptor
 * of its own besides the cache's; and none at all when the app has a global guard or interceptor besides
 * ApiKeyGuard and RateLimitGuard, or a module with Nest middleware (an extension that adds one turns the
 * fast path off, with a log line saying why). Hooks added to the Fastify instance by hand are not seen.
 */
@Injectable()
export class CachedRouteFastPath {
  private readonly logger = new Logger(CachedRouteFastPath.name);
  private router!: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>;
  private conventions!: FastPathConventions;
  private closing = false;
  /** The route patterns it serves hits of (for the startup log and the tests). */
  readonly routes: string[] = [];
  /** Requests it answered itself. */
  answered = 0;

  constructor(
    private readonly keys: ApiKeyService,
    private readonly limiter: RateLimiter,
    private readonly cache: ResilientCache,
    private readonly reflector: Reflector,
    private readonly discovery: DiscoveryService,
    private readonly modules: ModulesContainer,
  ) {}

  /** Before the routes are registered (the app is not yet initialised). */
  attach(fastify: FastifyInstance, conventions: FastPathConventions): void {
    const blocker = this.blocker();
    if (blocker) {
      this.logger.log(`cached reads go through Nest only: ${blocker} would not see the fast path's answers`);
      return;
    }
    const server = fastify.server;
    const listeners = server.listeners('request') as Dispatch[];
    if (listeners.length !== 1) {
      this.logger.log('cached reads go through Nest only: the HTTP server has no single request handler');
      return;
    }
    this.conventions = conventions;
    const { ignoreTrailingSlash, ignoreDuplicateSlashes, caseSensitive, maxParamLength } =
      fastify.initialConfig;
    this.router = FindMyWay({
      ignoreTrailingSlash,
      ignoreDuplicateSlashes,
      caseSensitive,
      maxParamLength,
    });
    fastify.addHook('onRoute', (route) => {
      const cached = (route.config as Record<string, unknown> | undefined)?.[CACHED_ROUTE_HANDLER] as
        CachedRouteHandler | undefined;
      if (route.method !== 'GET' || !cached || !this.eligible(cached)) return;
      const feature = featureTemplate(this.reflector.get<string>(RATE_LIMIT_FEATURE, cached.handler));
      const fixed = (secure: boolean) => [
        ...conventions.corsHeaders,
        ...conventions.securityHeaders(route.url, secure),
      ];
      const fast: FastRoute = {
        ...cached,
        url: route.url,
        feature,
        fixedHeaders: [fixed(false), fixed(true)],
      };
      this.router.on('GET', route.url, () => undefined, fast);
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
      try {
        this.serve(req, res, dispatch);
      } catch (err) {
        this.failed(err, req, res, dispatch);
      }
    });
  }

  /** A bug here must cost a request its fast answer, never the answer. */
  private failed(
    err: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    dispatch: Dispatch,
    decision?: Decision,
  ): void {
    this.logger.error(`cached read handed to Fastify after an error: ${(err as Error)?.message ?? err}`);
    if (!res.headersSent) handOn(req, res, dispatch, decision);
  }

  private serve(req: IncomingMessage, res: ServerResponse, dispatch: Dispatch): void {
    if (req.method !== 'GET' || this.closing || !this.cache.enabled) return dispatch(req, res);
    const started = performance.now();
    const url = req.url ?? '/';
    const cut = url.indexOf('?');
    const found = this.router.find('GET', cut === -1 ? url : url.slice(0, cut));
    const route = found?.store as FastRoute | undefined;
    if (!found || !route || !this.plain(req, route, cut !== -1)) return dispatch(req, res);
    const principal = this.keys.authenticate(presentedKey(req.headers));
    if (!principal) return dispatch(req, res);
    const decision = this.limiter.check(
      principal.id,
      route.feature(found.params as Record<string, string>) || undefined,
    );
    if (decision !== undefined && (decision instanceof Promise || !decision.allowed)) {
      return handOn(req, res, dispatch, decision);
    }
    // Past the limiter, a failure must hand the request on with its decision (the listener's would not).
    try {
      this.lookUp(req, res, dispatch, route, url, decision, started);
    } catch (err) {
      this.failed(err, req, res, dispatch, decision);
    }
  }

  /** The memory tier, then the Redis tier; a miss goes to Fastify, whose interceptor loads it. */
  private lookUp(
    req: IncomingMessage,
    res: ServerResponse,
    dispatch: Dispatch,
    route: FastRoute,
    url: string,
    decision: RateDecision | undefined,
    started: number,
  ): void {
    const key = this.cache.peekKey(
      route.options.namespace,
      cacheKeyFor('GET', url, undefined, route.options.query),
    );
    if (key === undefined) return handOn(req, res, dispatch, decision);
    // Misses are counted by the interceptor's own lookup, which a miss here leads to.
    const entry = this.cache.peekAs(key, decodeKeptEntry, { countMiss: false });
    if (entry !== undefined) {
      afterReads(() => {
        try {
          if (!res.destroyed) this.answer(req, res, route, entry, decision, started);
        } catch (err) {
          this.failed(err, req, res, dispatch, decision);
        }
      });
      return;
    }
    this.cache
      .getFromRedis(key, undefined, { countMiss: false })
      .then((hit) => {
        if (!hit) return handOn(req, res, dispatch, decision);
        if (!res.destroyed) this.answer(req, res, route, decodeEntry(hit.value), decision, started);
      })
      .catch((err: unknown) => this.failed(err, req, res, dispatch, decision));
  }

  /** A request whose answer the cache alone decides: no body, no CORS to work out, no query to parse. */
  private plain(req: IncomingMessage, route: FastRoute, hasQuery: boolean): boolean {
    const { headers } = req;
    if (headers['transfer-encoding'] !== undefined) return false;
    if (headers['content-length'] !== undefined && headers['content-length'] !== '0') return false;
    if (this.conventions.corsHeaders.length > 0 && headers.origin !== undefined) return false;
    return !hasQuery || !route.options.query?.length;
  }

  private answer(
    req: IncomingMessage,
    res: ServerResponse,
    route: FastRoute,
    entry: CachedEntry,
    decision: RateDecision | undefined,
    started: number,
  ): void {
    const { requestId, requestIdHeader, secure, answered } = this.conventions;
    const url = req.url ?? '/';
    const id = requestId(req);
    const answer = cachedAnswer(entry, req.headers['if-none-match'], 'HIT');
    const headers = [
      requestIdHeader,
      id,
      ...route.fixedHeaders[secure(req) ? 1 : 0],
      ...(decision ? rateLimitHeaders(decision) : NO_HEADERS),
      ...answer.headers,
    ];
    res.writeHead(answer.status, headers).end(answer.body);
    this.answered++;
    answered(id, route.url, url, answer.status, performance.now() - started);
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

  /** What, in this app, would miss the requests the fast path answers. */
  private blocker(): string | undefined {
    for (const wrapper of this.discovery.getProviders()) {
      const token = String(wrapper.token);
      const isGuard = token.startsWith(`${APP_GUARD} `);
      if (!isGuard && !token.startsWith(`${APP_INTERCEPTOR} `)) continue;
      const cls = (wrapper.metatype ?? wrapper.instance?.constructor) as Type | undefined;
      if (isGuard && cls && MIRRORED_GUARDS.includes(cls)) continue;
      return `the global ${isGuard ? 'guard' : 'interceptor'} ${cls?.name ?? token}`;
    }
    for (const module of this.modules.values()) {
      if (SKIPPABLE_MIDDLEWARE.includes(module.metatype)) continue;
      const configure = (module.metatype?.prototype as { configure?: unknown } | undefined)?.configure;
      if (typeof configure === 'function') return `the middleware of ${module.metatype.name}`;
    }
    return undefined;
  }
}
