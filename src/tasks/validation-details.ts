import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/** One entry of a 400's `details`: the dotted path of the bad field, and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

const joinPath = (prefix: string, path: readonly PropertyKey[]) =>
  [prefix, ...path.map(String)].filter(Boolean).join('.');

export function problemsOf(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: joinPath(prefix, [...issue.path, key]), message: 'unknown field' }))
      : [{ field: joinPath(prefix, issue.path), message: issue.message }],
  );
}

/**
 * Fields the client sent that the parsed value lacks: zod objects drop unknown keys silently, so comparing
 * input and output finds them at any depth without rewriting each schema as strict.
 */
export function unknownFields(sent: unknown, parsed: unknown, prefix: string): FieldProblem[] {
  if (Array.isArray(sent) && Array.isArray(parsed)) {
    return sent.flatMap((item, i) => unknownFields(item, parsed[i], `${prefix}.${i}`));
  }
  if (!isPlainObject(sent) || !isPlainObject(parsed)) return [];
  return Object.entries(sent).flatMap(([key, value]) =>
    key in parsed
      ? unknownFields(value, parsed[key], `${prefix}.${key}`)
      : [{ field: `${prefix}.${key}`, message: 'unknown field' }],
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function invalidRequest(details: FieldProblem[]): BadRequestException {
  return new BadRequestException({ message: 'the request is invalid', details });
}

/** Parses `value` or throws a 400 naming every bad and every unknown field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(problemsOf(result.error, prefix));
  const unknown = prefix ? unknownFields(value, result.data, prefix) : [];
  if (unknown.length > 0) throw invalidRequest(unknown);
  return result.data;
}
