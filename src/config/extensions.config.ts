import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { defineConfigSection, stringList } from './config-section.js';

/**
 * STRATA_EXTENSIONS: the one place a deployment adds its own modules (request policies, guards, task
 * types, cached read modules) without editing the service: comma-separated paths to ES modules, each
 * of whose default export is a Nest module (a class or `DynamicModule`) or a list of them. Relative
 * paths are read from the working directory. `main.ts` and the test harness both load them
 * (src/app-extensions.ts); docs/extending.md shows one.
 */
export const extensionsConfig = defineConfigSection(
  { STRATA_EXTENSIONS: stringList(z.string().min(1)) },
  (v) => ({ paths: (v.STRATA_EXTENSIONS ?? []).map((path) => resolve(path)) }),
  (out) =>
    out.paths
      .filter((path) => !existsSync(path) || !statSync(path).isFile())
      .map((path) => `STRATA_EXTENSIONS: ${path} is not a file`),
);
