import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal } from './principal.js';

export const IS_PUBLIC = 'strata:public';
export const REQUIRES_ADMIN = 'strata:admin';

/** The route needs no API key (health probes, metrics behind their own token). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only `admin` keys may call the route; a `client` key gets 403. */
export const AdminOnly = () => SetMetadata(REQUIRES_ADMIN, true);

/** The authenticated caller, set by `ApiKeyGuard`. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().principal,
);
