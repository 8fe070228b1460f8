/** One limit: at most `limit` requests per sliding `windowMs`, for a feature, for every key or one key id. */
export interface RateLimitRule {
  feature: string;
  /** Undefined: the limit of every key that has no line of its own. */
  keyId?: string;
  limit: number;
  windowMs: number;
}

/** `default` is charged on every limited request; a route names any other feature with `@RateLimited`. */
export const DEFAULT_FEATURE = 'default';

export const DEFAULT_RATE_LIMITS =
  'default=600/60s,tasks:narrative=10/60s,tasks:job-search=60/60s,tasks:pdf=30/60s,tasks:email=30/60s,taxonomy:write=30/60s';

const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const FEATURE = /^(default|[a-z][a-z0-9-]{0,39}:[a-z0-9][a-z0-9-]{0,39})$/;
const LIMIT = /^(\d{1,10})\/(\d{1,7})(ms|s|m|h)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
export const MAX_LIMIT = 1_000_000_000;

/**
 * Parses `[keyId:]feature=N/<window>` lines (`default=600/60s`, `alice:tasks:narrative=100/60s`). A feature
 * is `default` or `namespace:name`, so the segments before it, if any, are the key id. Problems are
 * returned as messages that name the entry by position, for the config error.
 */
export function parseRateLimits(raw: string): { rules: RateLimitRule[]; problems: string[] } {
  const rules: RateLimitRule[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .forEach((item, index) => {
      const where = `entry ${index + 1}`;
      const eq = item.indexOf('=');
      const name = eq < 0 ? item : item.slice(0, eq);
      const parts = name.split(':');
      const featureParts = parts[parts.length - 1] === DEFAULT_FEATURE ? 1 : 2;
      const feature = parts.slice(-featureParts).join(':');
      const keyId = parts.length > featureParts ? parts.slice(0, -featureParts).join(':') : undefined;
      const match = LIMIT.exec(eq < 0 ? '' : item.slice(eq + 1));
      if (!FEATURE.test(feature)) problems.push(`${where}: feature must be "default" or "namespace:name"`);
      else if (keyId !== undefined && !KEY_ID.test(keyId)) problems.push(`${where}: bad key id`);
      else if (!match) problems.push(`${where}: expected <feature>=<count>/<window>, e.g. default=600/60s`);
      else {
        const limit = Number(match[1]);
        const windowMs = Number(match[2]) * UNIT_MS[match[3] as keyof typeof UNIT_MS];
        const id = `${keyId ?? '*'}|${feature}`;
        if (limit < 1 || limit > MAX_LIMIT) problems.push(`${where}: count must be 1 to ${MAX_LIMIT}`);
        else if (windowMs < 1_000 || windowMs > 86_400_000)
          problems.push(`${where}: window must be 1s to 24h`);
        else if (seen.has(id)) problems.push(`${where}: ${feature} is given twice`);
        else {
          seen.add(id);
          rules.push({ feature, keyId, limit, windowMs });
        }
      }
    });
  return { rules, problems };
}
