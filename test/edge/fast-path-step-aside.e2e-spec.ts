import {
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  type MiddlewareConsumer,
  Module,
  type NestInterceptor,
  type NestModule,
  type PipeTransform,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Observable } from 'rxjs';
import request from 'supertest';
import { createHttpApp } from '../../src/app.factory.js';
import { CachedRouteFastPath } from '../../src/edge/cached-route.fast-path.js';
import { AppLifecycle } from '../../src/health/app-lifecycle.service.js';
import { prefillPglite } from '../support/pglite-template.js';
import { TestRedis } from '../support/redis-server.js';
import { startTestApp } from '../support/test-app.js';
import { bearer, TEST_KEYS, testConfig } from '../support/test-env.js';

// Each an extension's enhancer that must see every request, and marks the answers it saw.
@Injectable()
class CountingGuard implements CanActivate {
  calls = 0;
  canActivate(): boolean {
    this.calls++;
    return true;
  }
}
@Injectable()
class StampingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    context.switchToHttp().getResponse().header('x-stamped', 'interceptor');
    return next.handle();
  }
}
@Injectable()
class CountingPipe implements PipeTransform {
  calls = 0;
  transform(value: unknown): unknown {
    this.calls++;
    return value;
  }
}
@Module({ providers: [{ provide: APP_INTERCEPTOR, useClass: StampingInterceptor }] })
class InterceptorModule {}
@Module({ providers: [{ provide: APP_PIPE, useClass: CountingPipe }] })
class PipeModule {}
@Module({})
class MiddlewareModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(function stamp(_req: unknown, res: { setHeader(n: string, v: string): void }, next: () => void) {
        res.setHeader('x-stamped', 'middleware');
        next();
      })
      .forRoutes('*');
  }
}

const PATH = '/v1/taxonomy/masks';
const asBob = bearer(TEST_KEYS.bob);

describe('the fast path steps aside for what must see every request, found through Nest public APIs', () => {
  let redis: TestRedis;
  const apps: NestFastifyApplication[] = [];
  const env = { APP_ROLE: 'api' };

  beforeAll(async () => {
    redis = await TestRedis.start();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await redis?.stop();
  });

  /** An app whose `prepare` runs between creation and listen, where main.ts could call `useGlobal*`. */
  async function appWith(extra: NonNullable<Parameters<typeof startTestApp>[1]>, prepare?: (app: NestFastifyApplication) => void) {
    const config = testConfig(redis.url, env);
    await prefillPglite(config.server.dataDir);
    const app = await createHttpApp(config, extra);
    prepare?.(app);
    await app.listen(0, '127.0.0.1');
    app.get(AppLifecycle).markRunning();
    apps.push(app);
    return app;
  }

  /** Two reads (a miss, then a hit): the hit goes through Nest, not the fast path. */
  async function hitThroughNest(app: NestFastifyApplication) {
    const http = request(app.getHttpServer());
    await http.get(PATH).set(asBob).expect(200);
    const hit = await http.get(PATH).set(asBob).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(app.get(CachedRouteFastPath).answered).toBe(0);
    expect(app.get(CachedRouteFastPath).routes).toEqual([]);
    return hit;
  }

  it('an APP_INTERCEPTOR', async () => {
    const app = await appWith([InterceptorModule]);
    expect(app.get(CachedRouteFastPath).offReason).toMatch(/^the global interceptor StampingInterceptor /);
    expect((await hitThroughNest(app)).headers['x-stamped']).toBe('interceptor');
  });

  it('an APP_PIPE', async () => {
    const app = await appWith([PipeModule]);
    expect(app.get(CachedRouteFastPath).offReason).toMatch(/^the global pipe CountingPipe /);
    await hitThroughNest(app);
  });

  it("a module's middleware", async () => {
    const app = await appWith([MiddlewareModule]);
    expect(app.get(CachedRouteFastPath).offReason).toMatch(/^the middleware \S+ of MiddlewareModule /);
    expect((await hitThroughNest(app)).headers['x-stamped']).toBe('middleware');
  });

  it('app.useGlobalGuards', async () => {
    const guard = new CountingGuard();
    const app = await appWith([], (a) => a.useGlobalGuards(guard));
    expect(app.get(CachedRouteFastPath).offReason).toMatch(/^the global guard CountingGuard /);
    await hitThroughNest(app);
    expect(guard.calls).toBe(2);
  });

  it('app.useGlobalInterceptors', async () => {
    const app = await appWith([], (a) => a.useGlobalInterceptors(new StampingInterceptor()));
    expect(app.get(CachedRouteFastPath).offReason).toMatch(/^the global interceptor StampingInterceptor /);
    expect((await hitThroughNest(app)).headers['x-stamped']).toBe('interceptor');
  });

  it('app.useGlobalPipes', async () => {
    const app = await appWith([], (a) => a.useGlobalPipes(new CountingPipe()));
    expect(app.get(CachedRouteFastPath).offReason).toMatch(/^the global pipe CountingPipe /);
    await hitThroughNest(app);
  });

  it('an APP_GUARD (see also request-policies.e2e-spec.ts, through STRATA_EXTENSIONS)', async () => {
    @Module({ providers: [{ provide: APP_GUARD, useClass: CountingGuard }] })
    class GuardModule {}
    const app = await appWith([GuardModule]);
    expect(app.get(CachedRouteFastPath).offReason).toMatch(/^the global guard CountingGuard /);
    await hitThroughNest(app);
  });

  it('CACHE_FAST_PATH=off, and on with nothing in the way', async () => {
    const off = await startTestApp(testConfig(redis.url, { ...env, CACHE_FAST_PATH: 'off' }));
    apps.push(off);
    expect(off.get(CachedRouteFastPath).offReason).toBe('CACHE_FAST_PATH=off');
    await hitThroughNest(off);
    const on = await appWith([]);
    expect(on.get(CachedRouteFastPath).offReason).toBeUndefined();
    const http = request(on.getHttpServer());
    await http.get(PATH).set(asBob).expect(200);
    const hit = await http.get(PATH).set(asBob).expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    // The first read may be a hit already: every app here shares one Redis.
    expect(on.get(CachedRouteFastPath).answered).toBeGreaterThanOrEqual(1);
  });
});
