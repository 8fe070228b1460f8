/** The feature a request spends, from its route parameters. */
export type FeatureOf = (params: Record<string, string> | undefined) => string;

const NONE: FeatureOf = () => '';

/** `tasks:{type}` → a function of the route parameters, built once per handler. */
export function featureTemplate(template: string | undefined): FeatureOf {
  if (!template) return NONE;
  if (!template.includes('{')) return () => template;
  const parts = template.split(/\{(\w+)\}/);
  return (params) => parts.map((part, i) => (i % 2 ? (params?.[part] ?? '') : part)).join('');
}
