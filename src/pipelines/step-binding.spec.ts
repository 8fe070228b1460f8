import { z } from 'zod';
import { parseSource, parseTarget, schemaAt, setPath, stableJson, valueAt } from './step-binding.js';

describe('step bindings', () => {
  it('parses sources: .id, .result and RFC 6901 pointers with escapes', () => {
    expect(parseSource('story.id')).toEqual({ step: 'story', kind: 'id' });
    expect(parseSource('search.result')).toEqual({ step: 'search', kind: 'result', pointer: [] });
    expect(parseSource('search.result/results/0/title')).toEqual({
      step: 'search',
      kind: 'result',
      pointer: ['results', '0', 'title'],
    });
    expect(
      parseSource('s.result/a~1b/c~0d')?.kind === 'result' && parseSource('s.result/a~1b/c~0d'),
    ).toMatchObject({
      pointer: ['a/b', 'c~d'],
    });
    for (const bad of ['story', 'story.id/x', 'search.result.results', 's.result/a~2', '1s.id', 's.output'])
      expect(parseSource(bad)).toBeUndefined();
  });

  it('parses dotted targets and sets them, making arrays for numeric segments', () => {
    expect(parseTarget('subject.headline')).toEqual(['subject', 'headline']);
    expect(parseTarget('to..x')).toBeUndefined();
    const input: Record<string, unknown> = { subject: { name: 'Ada' } };
    setPath(input, ['subject', 'headline'], 'Hi');
    setPath(input, ['to', '0'], 'a@example.com');
    expect(input).toEqual({ subject: { name: 'Ada', headline: 'Hi' }, to: ['a@example.com'] });
  });

  it('reads values at pointers, undefined when there is none', () => {
    const value = { results: [{ title: 'A' }], 'a/b': 1 };
    expect(valueAt(value, ['results', '0', 'title'])).toBe('A');
    expect(valueAt(value, ['a/b'])).toBe(1);
    expect(valueAt(value, ['results', '01'])).toBeUndefined();
    expect(valueAt(value, ['results', '1', 'title'])).toBeUndefined();
    expect(valueAt(value, ['toString'])).toBeUndefined();
  });

  it('finds the schema at a path through optional, default, arrays and refinements', () => {
    const schema = z
      .object({
        subject: z.object({ headline: z.string().optional() }),
        to: z.array(z.email()).default([]),
        n: z.number().pipe(z.number().int()),
      })
      .refine(() => true);
    expect(schemaAt(schema, ['subject', 'headline'])?.safeParse('x').success).toBe(true);
    expect(schemaAt(schema, ['to', '3'])?.safeParse('a@example.com').success).toBe(true);
    expect(schemaAt(schema, ['n'])).toBeDefined();
    expect(schemaAt(schema, ['subject', 'colour'])).toBeUndefined();
    expect(schemaAt(schema, ['to', 'x'])).toBeUndefined();
  });

  it('writes JSON with sorted keys, so equal inputs hash alike', () => {
    expect(stableJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 3 } })).toBe(
      '{"a":{"c":3,"d":[2,{"e":0,"f":1}]},"b":1}',
    );
  });
});
