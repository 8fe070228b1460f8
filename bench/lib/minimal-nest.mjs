// Case (n): the least a NestJS 12 + Fastify app does to answer a cached read: a global guard doing one
// Map lookup (the API key), an interceptor answering `of(bytes)` with the service's headers (a fresh
// request id each time), a controller it never calls. What the service's Nest road costs beyond this is
// its own work. argv: port, body (base64), headers (base64 JSON `[name, value, ...]`), the bench key.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, Get, Injectable, Module, UnauthorizedException, UseInterceptors } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { of } from 'rxjs';

const [port, bodyArg, headersArg, key] = process.argv.slice(2);
const body = Buffer.from(bodyArg, 'base64');
const headers = JSON.parse(Buffer.from(headersArg, 'base64').toString());
const keys = new Map([[`Bearer ${key}`, { id: 'bench' }]]);

class KeyGuard {
  canActivate(context) {
    const request = context.switchToHttp().getRequest();
    const principal = keys.get(request.headers.authorization);
    if (!principal) throw new UnauthorizedException();
    request.principal = principal;
    return true;
  }
}
Injectable()(KeyGuard);

class BytesInterceptor {
  intercept(context) {
    const reply = context.switchToHttp().getResponse();
    for (let i = 0; i < headers.length; i += 2) {
      reply.header(headers[i], headers[i] === 'x-request-id' ? randomUUID() : headers[i + 1]);
    }
    return of(body);
  }
}
Injectable()(BytesInterceptor);

class MasksController {
  masks() {
    return [];
  }
}
Controller('v1/taxonomy')(MasksController);
const masks = Object.getOwnPropertyDescriptor(MasksController.prototype, 'masks');
Get('masks')(MasksController.prototype, 'masks', masks);
UseInterceptors(BytesInterceptor)(MasksController.prototype, 'masks', masks);

class MinimalModule {}
Module({ controllers: [MasksController], providers: [{ provide: APP_GUARD, useClass: KeyGuard }] })(
  MinimalModule,
);

const app = await NestFactory.create(MinimalModule, new FastifyAdapter(), { logger: false });
await app.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
