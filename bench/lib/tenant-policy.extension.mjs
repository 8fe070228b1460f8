// Case (p)'s extension, loaded through STRATA_EXTENSIONS as a deployment's would be: every request must
// name its tenant. A request policy, so cache hits keep the fast path (docs/extending.md).
import { Injectable, Module } from '@nestjs/common';
import { allow, deny, RegisterRequestPolicy } from '../../dist/edge/request-policy.js';

const TENANT = /^[a-z0-9-]{1,64}$/;

export class TenantHeaderPolicy {
  check({ headers }) {
    const tenant = headers['x-tenant'];
    return typeof tenant === 'string' && TENANT.test(tenant)
      ? allow()
      : deny(400, 'the X-Tenant header is required');
  }
}
RegisterRequestPolicy()(TenantHeaderPolicy);
Injectable()(TenantHeaderPolicy);

class TenantPolicyExtension {}
Module({ providers: [TenantHeaderPolicy] })(TenantPolicyExtension);
export default TenantPolicyExtension;
