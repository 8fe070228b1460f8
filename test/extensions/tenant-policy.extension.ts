// A deployment's extension, loaded through STRATA_EXTENSIONS: every authenticated request must name its
// tenant. As a request policy, it runs on both roads (cache hits keep the fast path).
import { Injectable, Module } from '@nestjs/common';
import {
  allow,
  deny,
  type PolicyVerdict,
  RegisterRequestPolicy,
  type RequestContext,
  type RequestPolicy,
} from '../../src/edge/request-policy.js';

const TENANT = /^[a-z0-9-]{1,64}$/;

@RegisterRequestPolicy()
@Injectable()
export class TenantHeaderPolicy implements RequestPolicy {
  /** Calls seen, by route pattern (the test reads it to see which road asked). */
  readonly seen: string[] = [];

  check({ headers, route }: RequestContext): PolicyVerdict {
    this.seen.push(route);
    const tenant = headers['x-tenant'];
    if (typeof tenant === 'string' && TENANT.test(tenant)) return allow();
    return deny(400, 'the X-Tenant header is required', [
      { field: 'x-tenant', message: 'lowercase letters, digits and "-", at most 64' },
    ]);
  }
}

@Module({ providers: [TenantHeaderPolicy] })
export default class TenantPolicyExtension {}
