import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { DEFAULT_RATE_LIMITS, parseRateLimits } from './rate-limit-rules.js';

describe('RATE_LIMITS', () => {
  it('parses features, windows and key-specific lines', () => {
    const { rules, problems } = parseRateLimits(
      'default=600/60s, tasks:narrative=10/1m, alice:tasks:narrative=100/60s, bob.ops:default=5/500ms, x:y=1/2h',
    );
    expect(problems).toEqual(['entry 4: window must be 1s to 24h']);
    expect(rules).toEqual([
      { feature: 'default', keyId: undefined, limit: 600, windowMs: 60_000 },
      { feature: 'tasks:narrative', keyId: undefined, limit: 10, windowMs: 60_000 },
      { feature: 'tasks:narrative', keyId: 'alice', limit: 100, windowMs: 60_000 },
      { feature: 'x:y', keyId: undefined, limit: 1, windowMs: 7_200_000 },
    ]);
  });

  it('reports each bad entry by position', () => {
    const { problems } = parseRateLimits(
      'default=600,Tasks=1/1s,default=0/1s,a:b=1/1s,a:b=2/1s,bad key:default=1/1s',
    );
    expect(problems).toEqual([
      'entry 1: expected <feature>=<count>/<window>, e.g. default=600/60s',
      'entry 2: feature must be "default" or "namespace:name"',
      'entry 3: count must be 1 to 1000000000',
      'entry 5: a:b is given twice',
      'entry 6: bad key id',
    ]);
  });

  it('is validated with the rest of the config, naming the variable', () => {
    expect(loadConfig({}).security.rateLimits).toEqual(parseRateLimits(DEFAULT_RATE_LIMITS).rules);
    try {
      loadConfig({ RATE_LIMITS: 'default=lots', CORS_ORIGINS: 'not a url' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.split(':')[0]).sort()).toEqual([
        'CORS_ORIGINS',
        'RATE_LIMITS',
      ]);
    }
  });
});
