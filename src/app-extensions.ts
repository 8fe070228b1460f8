import { pathToFileURL } from 'node:url';
import type { DynamicModule, ModuleMetadata, Type } from '@nestjs/common';
import type { AppConfig } from './config/load-config.js';

type Imports = NonNullable<ModuleMetadata['imports']>;

const isModule = (value: unknown): value is Type | DynamicModule =>
  typeof value === 'function' ||
  (typeof value === 'object' && value !== null && typeof (value as DynamicModule).module === 'function');

/**
 * The modules STRATA_EXTENSIONS names (src/config/extensions.config.ts), in order: each file's default
 * export, a Nest module or a list of them. A file that exports anything else stops the start, naming it.
 */
export async function loadExtensions(config: AppConfig): Promise<Imports> {
  const modules: Imports = [];
  for (const path of config.extensions.paths) {
    const loaded = (await import(pathToFileURL(path).href)) as { default?: unknown };
    const exported = Array.isArray(loaded.default) ? loaded.default : [loaded.default];
    if (exported.length === 0 || !exported.every(isModule)) {
      throw new Error(
        `STRATA_EXTENSIONS: ${path} must export default a Nest module (a class or a DynamicModule) or a list of them`,
      );
    }
    modules.push(...exported);
  }
  return modules;
}
