import { z } from 'zod';
import { defineTask, type TaskTypeOptions } from './task-type.js';

describe('defineTask', () => {
  const valid = { type: 'probe', input: z.object({}), output: z.null(), lockDurationMs: 1_000 };

  it('takes a type with an input and an output schema', () => {
    const task = defineTask(valid);
    expect([task.type, task.queueName, task.concurrency]).toEqual(['probe', 'probe', 5]);
  });

  it('refuses a type name that cannot be a queue name', () => {
    expect(() => defineTask({ ...valid, type: 'Probe.Task' })).toThrow('task type "Probe.Task" must match');
  });

  // An extension written in JavaScript has no compiler to say so: without the check each job would fail.
  it.each(['input', 'output'] as const)('refuses a type without its %s schema, naming it', (field) => {
    const options = { ...valid, [field]: undefined } as unknown as TaskTypeOptions<z.ZodType, z.ZodType>;
    expect(() => defineTask(options)).toThrow(`task type "probe" needs an \`${field}\` schema`);
  });
});
