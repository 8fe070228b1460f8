import { TEST_KEYS } from '../support/test-env.js';

/** mulberry32: a small seeded PRNG, so a failing run is reproduced with the same FUZZ_SEED. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Fuzz {
  constructor(readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  string(max = 40): string {
    const alphabets = ['abc-XYZ_019', '../%00%ff\\\'"<>{}[]$;|&', 'ñé漢字🙂\u202e\u0000\t', ' .,:;!?@#'];
    const chars = Array.from(this.pick(alphabets));
    return Array.from({ length: this.int(max) }, () => chars[this.int(chars.length)]).join('');
  }

  /** A path segment: plausible, hostile, percent-encoded, or huge. */
  segment(): string {
    return encodeURIComponent(
      this.pick([
        () => this.string(12),
        () => 'narrative.' + this.string(22),
        () => this.pick(['masks', 'epochs', 'stages', 'narrative', 'pdf', 'email', 'job-search']),
        () => 'x'.repeat(this.int(3000)),
        () => '__proto__',
        () => String(this.int(1e9) - 5e8),
      ])(),
    );
  }

  json(depth = 0): unknown {
    const leaf = [
      () => null,
      () => this.random() < 0.5,
      () => this.pick([0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, 3_600_000]),
      () => this.string(),
      () => 'y'.repeat(this.int(70_000)),
    ];
    if (depth > 4 || this.random() < 0.35) return this.pick(leaf)();
    if (this.random() < 0.4) return Array.from({ length: this.int(6) }, () => this.json(depth + 1));
    const keys = [
      'input',
      'options',
      'priority',
      'delayMs',
      'runAt',
      'name',
      'type',
      'every',
      'cron',
      'tz',
      'query',
      'title',
      'sections',
      'heading',
      'body',
      'to',
      'subject',
      'text',
      'fromTask',
      'attachTask',
      'namespace',
      'description',
      'attributes',
      'epochSlug',
      'owner',
      'constructor',
      'limit',
      'subject',
      'experiences',
    ];
    return Object.fromEntries(
      Array.from({ length: this.int(6) }, () => [this.pick(keys), this.json(depth + 1)]),
    );
  }

  /** A body: JSON of any shape, broken JSON, or not JSON at all. */
  body(): { text?: string; type?: string } {
    return this.pick([
      () => ({ text: JSON.stringify(this.json()), type: 'application/json' }),
      () => ({ text: JSON.stringify(this.json()).slice(0, -1 - this.int(5)), type: 'application/json' }),
      () => ({ text: '{"__proto__":{"polluted":true},"input":{}}', type: 'application/json' }),
      () => ({
        text: this.string(200),
        type: this.pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
        ]),
      }),
      () => ({ text: '', type: 'application/json' }),
      () => ({}),
    ])();
  }

  headers(): Record<string, string> {
    const auth = this.pick([
      () => ({}),
      () => ({ authorization: `Bearer ${this.pick(Object.values(TEST_KEYS))}` }),
      () => ({ authorization: this.pick(['Bearer', 'Bearer ', 'Basic Og==', 'Bearer ' + 'k'.repeat(5000)]) }),
      () => ({ 'x-api-key': this.string(60) }),
      () => ({ authorization: `Basic ${Buffer.from(`root:${TEST_KEYS.admin}`).toString('base64')}` }),
    ])();
    const extra: Record<string, string> = {};
    if (this.random() < 0.3) extra['idempotency-key'] = this.string(250).replace(/[^\x21-\x7e]/g, 'k') || 'k';
    if (this.random() < 0.2)
      extra['if-none-match'] = this.pick(['*', '"abc"', 'W/"x", "y"', this.string(20)]);
    if (this.random() < 0.2) extra['x-request-id'] = this.string(200).replace(/[^\x20-\x7e]/g, '');
    // fetch sends only Latin-1 header values; anything else could not reach the server anyway.
    const all: Record<string, string> = { ...auth, ...extra };
    for (const name of Object.keys(all)) all[name] = all[name].replace(/[^\x20-\x7e\xa0-\xff]/g, '');
    return all;
  }
}
