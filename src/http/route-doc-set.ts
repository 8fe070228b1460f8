import type { InjectionToken } from '@nestjs/common';
import type { RouteDocs, TagDoc } from './route-doc.js';

/**
 * One module's part of the OpenAPI document. A module adds itself by listing `routeDocsProvider(...)`
 * among its providers; the document is built from every set the app holds, so a route, a tag or a task
 * type an extension brings appears like a built-in one. `routes` is called when the document is built
 * (after every module is loaded), so it may read registries.
 */
export class RouteDocSet {
  constructor(
    readonly tags: TagDoc[],
    readonly routes: () => RouteDocs,
  ) {}
}

/** A Nest factory provider (`FactoryProvider<RouteDocSet>`), whose factory tests may also call. */
export interface RouteDocsProvider<Deps extends unknown[]> {
  provide: string;
  useFactory: (...deps: Deps) => RouteDocSet;
  inject: InjectionToken[];
}

/** The provider that registers a module's route docs; `factory` gets the `inject`ed providers. */
export function routeDocsProvider<Deps extends unknown[]>(
  name: string,
  factory: (...deps: Deps) => RouteDocSet,
  inject: InjectionToken[] = [],
): RouteDocsProvider<Deps> {
  return { provide: `route-docs:${name}`, useFactory: factory, inject };
}
