import type { IncomingHttpHeaders } from 'node:http';
import { DiscoveryService } from '@nestjs/core';
import type { Principal } from '../auth/principal.js';

/**
 * What a request policy sees of a request: the same on both roads (the Nest pipeline, and the fast path
 * that answers cache hits before Fastify), so a policy cannot tell which one asks.
 */
export interface RequestContext {
  readonly method: string;
  /** The URL's path, without the query string. */
  readonly path: string;
  /** The route's pattern (`/v1/taxonomy/:kind`), and its parameters. */
  readonly route: string;
  readonly params: Readonly<Record<string, string>>;
  /** The request's headers, names in lower case, as Node parsed them. */
  readonly headers: IncomingHttpHeaders;
  /** The caller, already authenticated: policies run after the API key check. */
  readonly principal: Principal;
}

export type PolicyVerdict =
  | { readonly allow: true }
  | {
      readonly allow: false;
      /** A 4xx status (403, 400, 451, ...); the answer is the service's usual JSON error body. */
      readonly status: number;
      readonly message: string;
      readonly details?: unknown;
    };

const ALLOWED: PolicyVerdict = Object.freeze({ allow: true });

export const allow = (): PolicyVerdict => ALLOWED;

export function deny(status: number, message: string, details?: unknown): PolicyVerdict {
  if (!Number.isInteger(status) || status < 400 || status > 499) {
    throw new Error(`a request policy denies with a 4xx status, not ${status}`);
  }
  return Object.freeze({ allow: false, status, message, details });
}

/**
 * A check every authenticated request passes before its handler, cache hits included. Keep it cheap and
 * synchronous where it can be (it runs on the hottest path there is); a promise is awaited.
 */
export interface RequestPolicy {
  check(context: RequestContext): PolicyVerdict | Promise<PolicyVerdict>;
}

export interface RequestPolicyOptions {
  /** Lower runs first; equal orders run in the order Nest created the providers. Default 0. */
  order?: number;
}

/**
 * Registers a provider as a request policy: `@RegisterRequestPolicy() @Injectable() class TenantPolicy
 * implements RequestPolicy`, listed in the `providers` of any module the app loads (one of src/, or an
 * extension named in STRATA_EXTENSIONS: docs/extending.md).
 */
export const RegisterRequestPolicy = DiscoveryService.createDecorator<RequestPolicyOptions>();
