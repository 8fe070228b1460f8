import {
  cachedAnswer,
  cacheKeyFor,
  decodeEntry,
  decodeKeptEntry,
  encodeEntry,
} from './cached-response.util.js';

const BODY = JSON.stringify({ version: 3, items: [{ slug: 'the-builder', name: 'Bâtisseur' }] });

describe('cached responses', () => {
  const stored = encodeEntry(BODY);

  it('answers a kept entry exactly as one decoded for a single answer', () => {
    const once = decodeEntry(stored);
    const kept = decodeKeptEntry(stored);
    for (const ifNoneMatch of [
      undefined,
      once.etag,
      `W/${once.etag}`,
      '"other"',
      `"other", ${once.etag}`,
      '*',
    ]) {
      const fresh = cachedAnswer(once, ifNoneMatch, 'HIT');
      const fromKept = cachedAnswer(kept, ifNoneMatch, 'HIT');
      expect(fromKept.status).toBe(fresh.status);
      expect(fromKept.headers).toEqual(fresh.headers);
      expect(fromKept.body === undefined ? undefined : Buffer.from(fromKept.body)).toEqual(
        fresh.body === undefined ? undefined : Buffer.from(fresh.body),
      );
    }
  });

  it('gives 304 without a body to a matching If-None-Match, 200 with the length in bytes otherwise', () => {
    const kept = decodeKeptEntry(stored);
    const notModified = cachedAnswer(kept, kept.etag, 'HIT');
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBeUndefined();
    const ok = cachedAnswer(kept, '"stale"', 'HIT');
    expect(ok.status).toBe(200);
    // 'â' is two bytes: the length is the bytes', not the characters'.
    expect(ok.headers).toEqual(expect.arrayContaining(['content-length', String(BODY.length + 1)]));
    expect(ok.headers).toEqual(expect.arrayContaining(['x-cache', 'HIT']));
  });

  it("says MISS on a kept entry's answer when asked for one, not its stored HIT", () => {
    const kept = decodeKeptEntry(stored);
    expect(cachedAnswer(kept, undefined, 'MISS').headers).toEqual(
      expect.arrayContaining(['x-cache', 'MISS']),
    );
  });

  it('keys by method, path and the allowlisted query parameters, sorted and trimmed', () => {
    expect(cacheKeyFor('GET', '/v1/taxonomy/masks?x=1', { x: '1' })).toBe('GET /v1/taxonomy/masks');
    expect(cacheKeyFor('GET', '/p?b=2&a=1&c=3', { b: ' 2 ', a: '1', c: '3' }, ['b', 'a'])).toBe(
      'GET /p?a=1&b=2',
    );
  });
});
