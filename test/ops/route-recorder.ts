import { Injectable, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/** Every route the app's Fastify instance serves, as `METHOD /path/{param}`, in registration order. */
export const servedRoutes: string[] = [];

/**
 * Listens to Fastify's `onRoute` from the moment the app's providers are created, which is before the
 * controllers, Swagger UI and Bull Board add their routes: the list is what the app really serves.
 */
@Injectable()
class RouteRecorder {
  constructor(host: HttpAdapterHost) {
    const fastify = host.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/(.)\/$/, '$1');
      for (const method of methods) servedRoutes.push(`${method} ${path}`);
    });
  }
}

@Module({ providers: [RouteRecorder] })
export class RouteRecorderModule {}
