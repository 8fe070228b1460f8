import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { RateLimitExceededException } from '../rate-limit/rate-limit-exceeded.exception.js';
import { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import { TaskRegistry } from '../tasks/task-registry.service.js';
import { TaskStore } from '../tasks/task-store.service.js';
import { type FieldProblem, invalidRequest } from '../tasks/validation-details.js';
import type { StepDef } from './pipeline-run.js';

/**
 * What a pipeline step costs and may refer to, exactly as if it were POSTed to /v1/tasks/<type>: each
 * queued step spends its `tasks:<type>` budget (so a pipeline is no way around RATE_LIMITS), and a
 * reference field given literally must name one of the caller's completed tasks of the declared type.
 */
@Injectable()
export class PipelineBudget {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly registry: TaskRegistry,
    private readonly store: TaskStore,
  ) {}

  async charge(principal: Principal, steps: Pick<StepDef, 'type'>[]): Promise<void> {
    for (const step of steps) {
      const decision = await this.limiter.check(principal.id, `tasks:${step.type}`);
      if (decision && !decision.allowed) {
        const retryAfter = Math.max(1, Math.ceil((decision.resetAt - Date.now()) / 1000));
        throw new RateLimitExceededException(
          `rate limit of tasks:${step.type} exceeded; retry in ${retryAfter} s`,
          retryAfter,
        );
      }
    }
  }

  async checkReferences(principal: Principal, steps: StepDef[]): Promise<void> {
    const problems: FieldProblem[] = [];
    for (const [i, step] of steps.entries()) {
      for (const ref of this.registry.get(step.type)?.references ?? []) {
        const id = step.input[ref.field];
        if (id === undefined || ref.field in step.bind) continue;
        const field = `steps.${i}.input.${ref.field}`;
        const found = typeof id === 'string' ? await this.store.find(id, principal) : undefined;
        // As for tasks: someone else's task answers exactly like one that does not exist.
        if (!found)
          throw new NotFoundException({
            message: `${field}: no such task`,
            details: [{ field, message: 'no such task' }],
          });
        if (found.task.type !== ref.type || found.view.state !== 'completed') {
          problems.push({ field, message: `must be the id of one of your completed ${ref.type} tasks` });
        }
      }
    }
    if (problems.length > 0) throw invalidRequest(problems);
  }
}
