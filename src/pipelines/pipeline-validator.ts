import type { TaskType } from '../tasks/task-type.js';
import { type FieldProblem, invalidRequest, problemsOf, unknownFields } from '../tasks/validation-details.js';
import type { StepDef } from './pipeline-run.js';
import {
  type BindingSource,
  parseSource,
  parseTarget,
  schemaAt,
  setPath,
  SOURCE_SYNTAX,
} from './step-binding.js';

export interface ValidPipeline {
  /** Steps it binds from, per step. */
  deps: Record<string, string[]>;
  /** A topological order, as close to the given order as the bindings allow. */
  order: string[];
}

/** Values a bound field is given while the input is validated, before the real one exists. */
const PLACEHOLDERS: unknown[] = ['placeholder', 0, true, {}, []];
const placeholderId = (type: string) => `${type}.${'A'.repeat(22)}`;

/**
 * Everything that can be checked before anything is queued: unique ids, known types, bindings (syntax,
 * source steps, target fields, references), no cycles, and each input against its type's schema with the
 * bound fields left out. Throws a 400 naming every problem.
 */
export function validatePipeline(
  steps: StepDef[],
  types: (type: string) => TaskType | undefined,
): ValidPipeline {
  const problems: FieldProblem[] = [];
  const byId = new Map<string, StepDef>();
  steps.forEach((step, i) => {
    if (byId.has(step.id))
      problems.push({ field: `steps.${i}.id`, message: `duplicate step id "${step.id}"` });
    else byId.set(step.id, step);
  });
  const deps: Record<string, string[]> = {};
  steps.forEach((step, i) => {
    const at = `steps.${i}`;
    const task = types(step.type);
    if (!task) problems.push({ field: `${at}.type`, message: `unknown task type "${step.type}"` });
    const sources = new Map<string, BindingSource>();
    for (const [target, text] of Object.entries(step.bind)) {
      const field = `${at}.bind.${target}`;
      const source = parseSource(text);
      const path = parseTarget(target);
      if (!path)
        problems.push({ field, message: 'the target must be a dotted input path, e.g. subject.headline' });
      if (!source) problems.push({ field, message: `"${text}": ${SOURCE_SYNTAX}` });
      else if (!byId.has(source.step)) problems.push({ field, message: `no step "${source.step}"` });
      if (!path || !source || !byId.has(source.step)) continue;
      sources.set(target, source);
      if (!task) continue;
      if (!schemaAt(task.input, path)) {
        problems.push({ field, message: `a ${task.type} input has no field "${target}"` });
        continue;
      }
      const ref = task.references.find((r) => r.field === target);
      const from = byId.get(source.step)!;
      if (ref && (source.kind !== 'id' || from.type !== ref.type)) {
        problems.push({
          field,
          message: `must be the .id of a ${ref.type} step ("${from.id}" is ${from.type})`,
        });
      }
    }
    deps[step.id] = [...new Set([...sources.values()].map((s) => s.step))];
    if (task) problems.push(...inputProblems(task, step, sources, byId, `${at}.input`));
  });
  if (problems.length > 0) throw invalidRequest(problems);
  const order = topologicalOrder(steps, deps);
  if (order.length < steps.length) {
    const left = steps.filter((s) => !order.includes(s.id)).map((s) => `"${s.id}"`);
    throw invalidRequest([
      { field: 'steps', message: `the bindings form a cycle through ${left.join(', ')}` },
    ]);
  }
  return { deps, order };
}

/** The input with placeholders at the bound paths; issues at (or under) a bound path are not problems. */
function inputProblems(
  task: TaskType,
  step: StepDef,
  sources: Map<string, BindingSource>,
  byId: Map<string, StepDef>,
  prefix: string,
): FieldProblem[] {
  const input = structuredClone(step.input);
  for (const [target, source] of sources) {
    const path = target.split('.');
    const schema = schemaAt(task.input, path);
    const value =
      source.kind === 'id'
        ? placeholderId(byId.get(source.step)!.type)
        : (PLACEHOLDERS.find((p) => schema?.safeParse(p).success) ?? PLACEHOLDERS[0]);
    setPath(input, path, value);
  }
  const bound = [...sources.keys()].map((t) => `${prefix}.${t}`);
  const isBound = (field: string) => bound.some((b) => field === b || field.startsWith(`${b}.`));
  const parsed = task.input.safeParse(input);
  const problems = parsed.success
    ? unknownFields(input, parsed.data, prefix)
    : problemsOf(parsed.error, prefix);
  return problems.filter((p) => !isBound(p.field));
}

/** Kahn's algorithm, taking the earliest given step whenever several are ready. */
function topologicalOrder(steps: StepDef[], deps: Record<string, string[]>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  for (;;) {
    const next = steps.find((s) => !done.has(s.id) && deps[s.id].every((d) => done.has(d)));
    if (!next) return order;
    order.push(next.id);
    done.add(next.id);
  }
}

/** The steps that bind from `stepId`, directly or not, with it first, in `order`. */
export function downstreamOf(stepId: string, order: string[], deps: Record<string, string[]>): string[] {
  const hit = new Set([stepId]);
  for (const id of order) if (deps[id].some((d) => hit.has(d))) hit.add(id);
  return order.filter((id) => hit.has(id));
}
