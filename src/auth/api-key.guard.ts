import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyService } from './api-key.service.js';
import { IS_PUBLIC, REQUIRES_ADMIN } from '../http/route-access.decorators.js';

/** Reads `Authorization: Bearer <key>` or `X-API-Key: <key>`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (match) return match[1];
  }
  const key = headers['x-api-key'];
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}

/** Global guard: every route needs a valid key unless marked `@Public()`; fails closed. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const principal = this.keys.authenticate(presentedKey(request.headers));
    if (!principal) throw new UnauthorizedException('a valid API key is required (Authorization: Bearer <key>)');
    request.principal = principal;
    if (this.reflector.getAllAndOverride<boolean>(REQUIRES_ADMIN, targets) && principal.role !== 'admin') {
      throw new ForbiddenException('this route needs an admin key');
    }
    return true;
  }
}
