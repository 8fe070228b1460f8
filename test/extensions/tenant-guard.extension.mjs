// The same rule as tenant-policy.extension.ts, written the ordinary Nest way: a global guard. Plain
// JavaScript, so that `node dist/main.js` (ServiceProcess) can load it as a deployment would. The
// cache-hit fast path cannot run a Nest guard, so it steps aside, and says so.
import { BadRequestException, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

export class TenantGuard {
  canActivate(context) {
    const tenant = context.switchToHttp().getRequest().headers['x-tenant'];
    if (typeof tenant === 'string' && /^[a-z0-9-]{1,64}$/.test(tenant)) return true;
    throw new BadRequestException('the X-Tenant header is required');
  }
}
Injectable()(TenantGuard);

class TenantGuardExtension {}
Module({ providers: [{ provide: APP_GUARD, useClass: TenantGuard }] })(TenantGuardExtension);
export default TenantGuardExtension;
