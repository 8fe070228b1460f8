import type { RateLimitRule } from '../config/rate-limit-rules.js';

interface FeatureRules {
  all?: RateLimitRule;
  byKey: Map<string, RateLimitRule>;
}

/** The configured limits by feature, then key id; a key's own line wins over the general one. */
export class RuleBook {
  private readonly byFeature = new Map<string, FeatureRules>();

  constructor(rules: readonly RateLimitRule[]) {
    for (const rule of rules) {
      let entry = this.byFeature.get(rule.feature);
      if (!entry) this.byFeature.set(rule.feature, (entry = { byKey: new Map() }));
      if (rule.keyId === undefined) entry.all = rule;
      else entry.byKey.set(rule.keyId, rule);
    }
  }

  /** No allocation: a feature nobody configured (or a made-up task type in a URL) finds nothing. */
  find(feature: string, keyId: string): RateLimitRule | undefined {
    const entry = this.byFeature.get(feature);
    return entry && (entry.byKey.get(keyId) ?? entry.all);
  }
}
