import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import type { MaybePromise, RateDecision } from '../rate-limit/rate-decision.js';
import type { PolicyVerdict } from './request-policy.js';

/** What the fast path worked out for a request before handing it to Fastify (a miss, a refusal, ...). */
export interface EdgeDecision {
  principal: Principal;
  /** The policies' verdict; when it is a refusal, nothing was charged to the limiter. */
  verdict: PolicyVerdict;
  /** The limiter's decision (undefined: no limit applies), counted once, by the fast path. */
  rate: MaybePromise<RateDecision> | undefined;
}

/**
 * Carries the fast path's decision to EdgeGuard, keyed by the raw request: the guard applies it instead
 * of running the checks again (a request must never be charged twice). Entries go with their request.
 */
@Injectable()
export class EdgeHandoff {
  private readonly decisions = new WeakMap<IncomingMessage, EdgeDecision>();

  give(request: IncomingMessage, decision: EdgeDecision): void {
    this.decisions.set(request, decision);
  }

  /** The decision left for `request`, once. */
  take(request: IncomingMessage): EdgeDecision | undefined {
    const decision = this.decisions.get(request);
    if (decision) this.decisions.delete(request);
    return decision;
  }
}
