import { BadRequestException, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

export interface FieldProblem {
  field: string;
  message: string;
}

/** zod issues as `{ field, message }`, the field a dotted path (`sections.3.heading`), `(body)` for the root. */
export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    // An unknown key is reported on its parent; name each key so the client sees what to remove.
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: base ? `${base}.${key}` : key, message: 'unknown field' }));
    }
    return [{ field: base || '(body)', message: issue.message }];
  });
}

export class ValidationFailedException extends BadRequestException {
  constructor(problems: FieldProblem[]) {
    super({ message: `invalid ${problems.map((p) => p.field).join(', ')}`, details: problems });
  }
}

/** Validates and strips nothing: unknown fields are errors (`.strict()` schemas), never silently dropped. */
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.infer<T> {
    const result = this.schema.safeParse(value ?? {});
    if (!result.success) throw new ValidationFailedException(fieldProblems(result.error));
    return result.data;
  }
}
