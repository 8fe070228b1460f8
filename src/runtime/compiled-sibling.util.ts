import { fileURLToPath } from 'node:url';

/**
 * The compiled `.js` file `name` beside the calling module. Under `node dist/...` that is the sibling
 * itself; under ts-jest the caller is `src/**.ts`, which a thread cannot load, so the build's copy in
 * `dist/` is used (`npm test` builds first).
 */
export function compiledSibling(importMetaUrl: string, name: string): string {
  const path = fileURLToPath(new URL(name, importMetaUrl));
  if (!importMetaUrl.endsWith('.ts')) return path;
  return path.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2');
}
