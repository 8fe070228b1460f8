import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { andThen, type MaybePromise } from '../rate-limit/rate-decision.js';
import {
  allow,
  type PolicyVerdict,
  RegisterRequestPolicy,
  type RequestContext,
  type RequestPolicy,
} from './request-policy.js';

/**
 * The one ordered list of request policies, found among the app's providers once at start. The Nest
 * road (EdgeGuard) and the fast path both run `check`, so a policy applies to every request alike.
 */
@Injectable()
export class RequestPolicies implements OnModuleInit {
  private readonly logger = new Logger(RequestPolicies.name);
  private list: readonly RequestPolicy[] = [];
  /** The policies' class names, in the order they run (for the start log and the tests). */
  names: readonly string[] = [];

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const found = this.discovery
      .getProviders({ metadataKey: RegisterRequestPolicy.KEY })
      .map((wrapper, index) => {
        const instance = wrapper.instance as Partial<RequestPolicy> | undefined;
        if (typeof instance?.check !== 'function') {
          throw new Error(`${wrapper.name} is registered as a request policy but has no check(context) method`);
        }
        const order = this.discovery.getMetadataByDecorator(RegisterRequestPolicy, wrapper)?.order ?? 0;
        return { policy: instance as RequestPolicy, order, index, name: String(wrapper.name) };
      })
      .sort((a, b) => a.order - b.order || a.index - b.index);
    this.list = found.map((f) => f.policy);
    this.names = found.map((f) => f.name);
    if (found.length > 0) this.logger.log(`request policies, in order: ${this.names.join(', ')}`);
  }

  get size(): number {
    return this.list.length;
  }

  /** The first refusal, or allow; synchronous while every policy answers synchronously. */
  check(context: RequestContext): MaybePromise<PolicyVerdict> {
    return this.from(0, context);
  }

  private from(start: number, context: RequestContext): MaybePromise<PolicyVerdict> {
    for (let i = start; i < this.list.length; i++) {
      const verdict = this.list[i].check(context);
      if (verdict instanceof Promise) {
        return andThen(verdict, (v) => (v.allow ? this.from(i + 1, context) : v));
      }
      if (!verdict.allow) return verdict;
    }
    return allow();
  }
}
