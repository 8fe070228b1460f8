import type { ApplicationConfig, ModulesContainer } from '@nestjs/core';

const nameOf = (enhancer: object): string => enhancer.constructor?.name ?? 'an anonymous one';

/**
 * What, in this app, would not see the requests the fast path answers: a global guard other than the
 * edge's own, any global interceptor or pipe, or any Nest middleware. Asked of Nest's public API once
 * routes are registered: ApplicationConfig's getters hold both the `APP_*` providers and what
 * `app.useGlobal*()` added; each Module's `middlewares` holds what its `configure()` applied.
 * Undefined when nothing would.
 */
export function fastPathBlocker(
  config: ApplicationConfig,
  modules: ModulesContainer,
  isEdgeGuard: (guard: object) => boolean,
): string | undefined {
  const guard = config.getGlobalGuards().find((g) => !isEdgeGuard(g));
  if (guard) return `the global guard ${nameOf(guard)}`;
  const [requestGuard] = config.getGlobalRequestGuards();
  if (requestGuard) return `the request-scoped global guard ${String(requestGuard.name)}`;
  const [interceptor] = config.getGlobalInterceptors();
  if (interceptor) return `the global interceptor ${nameOf(interceptor)}`;
  const [requestInterceptor] = config.getGlobalRequestInterceptors();
  if (requestInterceptor) return `the request-scoped global interceptor ${String(requestInterceptor.name)}`;
  const [pipe] = config.getGlobalPipes();
  if (pipe) return `the global pipe ${nameOf(pipe)}`;
  const [requestPipe] = config.getGlobalRequestPipes();
  if (requestPipe) return `the request-scoped global pipe ${String(requestPipe.name)}`;
  for (const module of modules.values()) {
    const [middleware] = module.middlewares.values();
    if (middleware) return `the middleware ${String(middleware.name)} of ${module.name}`;
  }
  return undefined;
}
