import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { compiledSibling } from './compiled-sibling.util.js';
import { pinTickObjectShape } from './pin-tick-object-shape.js';

const run = promisify(execFile);
const moduleUrl = pathToFileURL(compiledSibling(import.meta.url, 'pin-tick-object-shape.js')).href;

/**
 * In a fresh Node process: a thousand entries (enough for the site's feedback, too few to optimise
 * nextTick), a quiet moment with none alive, two full GCs, another thousand; then V8's own account of
 * nextTick's feedback (`%DebugPrint`) for the sites that add the entry's four properties.
 */
async function literalSiteStates(pin: boolean): Promise<string[]> {
  const script = `
    const { pinTickObjectShape } = await import(${JSON.stringify(moduleUrl)});
    if (${pin}) pinTickObjectShape();
    const noop = () => {};
    const quiet = () => new Promise((done) => setTimeout(done, 20));
    for (let i = 0; i < 1000; i++) process.nextTick(noop, i);
    await quiet();
    gc(); gc();
    await quiet();
    for (let i = 0; i < 1000; i++) process.nextTick(noop, i);
    await quiet();
    %DebugPrint(process.nextTick);
  `;
  const { stdout } = await run(
    process.execPath,
    ['--allow-natives-syntax', '--expose-gc', '--input-type=module', '-e', script],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return [...stdout.matchAll(/DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1]);
}

describe('pinTickObjectShape', () => {
  it('keeps every property site of the nextTick entry monomorphic through full GCs', async () => {
    const states = await literalSiteStates(true);
    expect(states).toHaveLength(4);
    expect(states.every((state) => state === 'MONOMORPHIC')).toBe(true);
  });

  // The reason the pin exists, on the Node this runs on. If this fails, V8 or Node no longer loses
  // the entry's classes, and the pin may be removed (measure first: docs/benchmarks.md).
  it('without it, the same sequence leaves the sites megamorphic', async () => {
    const states = await literalSiteStates(false);
    expect(states).toHaveLength(4);
    expect(states.filter((state) => state === 'MEGAMORPHIC').length).toBeGreaterThan(0);
  });

  it('holds a nextTick entry, and the same one on a second call', () => {
    const entry = pinTickObjectShape();
    expect(entry).toEqual(expect.objectContaining({ callback: expect.any(Function) }));
    expect(pinTickObjectShape()).toBe(entry);
  });
});
