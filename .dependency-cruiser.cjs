// The architecture of src/ as rules, checked by `npm run lint` (which .ci/run runs) with dependency-cruiser.
// An import only points down the layers, and no file imports itself back through others (no cycles).
// Same-layer imports are refused unless listed in SAME_LAYER below, each with its reason.
// Run one check by hand: `npx depcruise src` (add `--output-type dot | dot -Tsvg` for a picture).

/** Bottom to top. A folder not listed here fails the `folder-has-a-layer` rule until it is given one. */
const LAYERS = [
  // 1: the environment, validated once; also the value formats env variables share with features.
  ['config'],
  // 2: infrastructure clients and process plumbing; they know nothing of each other but runtime/'s
  // process helpers (SAME_LAYER).
  ['redis', 'database', 'http', 'runtime', 'logging', 'artifacts'],
  // 3: cross-cutting services the features and the edge build on.
  ['auth', 'rate-limit', 'cache', 'metrics', 'health'],
  // 4: the edge (the request pipeline both roads run, and the cache-hit fast path), the features, and two surfaces over the features: admin/ (Bull
  // Board, which lists the task queues) and openapi/ (the document, built from the route docs each module
  // registers through http/route-doc-set.ts, so it imports no feature).
  // Nothing below them may import them; their order among themselves is FEATURE_USES.
  ['edge', 'taxonomy', 'tasks', 'processors', 'pipelines', 'admin', 'openapi'],
  // 5: src/*.ts (app.module.ts, app.factory.ts, app-extensions.ts, main.ts, task-types.ts): where the
  // app is put together and registries are filled.
];

/** Same-layer imports that are allowed, and why. Everything else within a layer is refused. */
const SAME_LAYER = {
  // metrics: the scrape token is read as an API key is (presentedKey), and the cache's counters;
  // health: the cache's state.
  metrics: ['auth', 'cache'],
  health: ['cache'],
  // The data-dir lock: PGlite's directory and the private redis-server's AOF directory are guarded alike.
  database: ['runtime'],
  redis: ['runtime'],
};

/**
 * Layer 4: which feature (or surface) may use which; a feature uses another only through its public
 * parts (never its controllers, repositories or HTTP module: see `feature-private-parts`).
 * processors/<type> folders may import processors/shared, and another type's `.task.ts`/`.dto.ts` or
 * its types only (rule `processor-types-apart`).
 */
const FEATURE_USES = {
  edge: [],
  taxonomy: [],
  tasks: [],
  processors: ['tasks', 'taxonomy'],
  pipelines: ['tasks'],
  admin: ['tasks'],
  openapi: [],
};

/**
 * Temporary exceptions: imports that break a rule and are being fixed on another branch. Each names the
 * issue and the owner; the owner deletes the entry with the fix (the lead checks none is left over).
 */
const EXCEPTIONS = [];
/** Files left out of `no-circular` while a cycle through them is fixed on another branch (as EXCEPTIONS). */
const CYCLE_EXCEPTIONS = [];

const folder = (name) => `^src/${name}/`;
const layerOf = new Map(LAYERS.flatMap((names, i) => names.map((name) => [name, i + 1])));

function forbid(from, to, comment) {
  const exceptions = EXCEPTIONS.filter((e) => e.to === to && new RegExp(`^\\^src/${from}/`).test(e.from));
  return {
    name: `${from}-not-${to}`.replace(/[^a-z-]/g, '-'),
    comment,
    severity: 'error',
    from: { path: folder(from), ...(exceptions.length ? { pathNot: exceptions.map((e) => e.from) } : {}) },
    to: { path: folder(to) },
  };
}

const layerRules = [];
for (const [from, fromLayer] of layerOf) {
  for (const [to, toLayer] of layerOf) {
    if (from === to) continue;
    if (toLayer > fromLayer) {
      layerRules.push(
        forbid(
          from,
          to,
          `${from}/ (layer ${fromLayer}) may not import ${to}/ (layer ${toLayer}): imports point down`,
        ),
      );
    } else if (toLayer === fromLayer) {
      const allowed = fromLayer === 4 ? FEATURE_USES[from] : (SAME_LAYER[from] ?? []);
      if (!allowed.includes(to)) {
        layerRules.push(
          forbid(from, to, `${from}/ may not import ${to}/ (same layer ${fromLayer}, not an allowed use)`),
        );
      }
    }
  }
  layerRules.push({
    name: `${from}-not-app`,
    comment: `${from}/ may not import the app's root files (layer 5)`,
    severity: 'error',
    from: { path: folder(from) },
    to: { path: '^src/[^/]+\\.ts$' },
  });
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles between files.',
      severity: 'error',
      from: { pathNot: CYCLE_EXCEPTIONS },
      to: { circular: true },
    },
    {
      name: 'folder-has-a-layer',
      comment: 'Every folder of src/ is in one layer of .dependency-cruiser.cjs (LAYERS).',
      severity: 'error',
      from: { path: '^src/', pathNot: [`^src/(${[...layerOf.keys()].join('|')})/`, '^src/[^/]+\\.ts$'] },
      to: {},
    },
    {
      name: 'feature-private-parts',
      comment:
        'A feature uses another through its public services, never its controllers, repositories or HTTP modules.',
      severity: 'error',
      from: { path: '^src/(edge|taxonomy|tasks|processors|pipelines|admin|openapi)/' },
      to: {
        path: '^src/(edge|taxonomy|tasks|processors|pipelines)/.+(\\.controller|\\.repository|-http\\.module|-api\\.module)\\.ts$',
        pathNot: '^src/$1/',
      },
    },
    {
      name: 'processor-types-apart',
      comment:
        "A task type's folder uses another type's definition (.task.ts), DTOs (.dto.ts) or types only; shared code goes to processors/shared.",
      severity: 'error',
      from: { path: '^src/processors/([^/]+)/' },
      to: {
        path: '^src/processors/[^/]+/',
        pathNot: ['^src/processors/$1/', '^src/processors/shared/', '\\.(task|dto)\\.ts$'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'processors-shared-is-shared',
      comment: 'processors/shared serves every task type and imports none of them.',
      severity: 'error',
      from: { path: '^src/processors/shared/' },
      to: { path: '^src/processors/', pathNot: '^src/processors/shared/' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|var)/' },
    // Type-only imports count: a type from a higher layer is still a dependency on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
