import { createHook } from 'node:async_hooks';

let pinned: object | undefined;

/**
 * Keeps one of `process.nextTick`'s queue entries alive for the life of the process, so that the hidden
 * class V8 built for them is never collected. Call it once, first thing at start.
 *
 * Why: Node builds each entry as `{ [async_id_symbol], [trigger_async_id_symbol], callback, args }`, and
 * V8 remembers, for each computed key, the hidden class it was added to. When a full GC runs while no
 * entry is alive (a busy start: Nest, PGlite, Redis clients), it collects those classes; the next entry
 * gets new ones, and V8 then marks the site megamorphic for good. From then on every `nextTick` builds
 * its entry in V8's runtime instead of in compiled code: about 300 ns instead of 25, and Node's HTTP
 * and stream code calls it several times a request (5.1 µs a request against 0.3 in a profile; a cached
 * hit's CPU fell from 43.1 to 37.3 µs with the pin: docs/benchmarks.md). One live entry keeps the
 * classes, and the site stays monomorphic.
 *
 * Returns the entry it holds (for the test); a second call keeps the first.
 */
export function pinTickObjectShape(): object | undefined {
  if (pinned) return pinned;
  // The hook sees only the entry made in the next line: it is enabled and disabled around it, synchronously.
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === 'TickObject') pinned ??= resource;
    },
  });
  hook.enable();
  process.nextTick(noop);
  hook.disable();
  return pinned;
}

function noop(): void {}
