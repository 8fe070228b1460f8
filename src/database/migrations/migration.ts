/**
 * One versioned schema change. `statements` run in order inside the migration transaction; they are a list
 * because PGlite's extended-protocol queries take one statement each.
 */
export interface Migration {
  version: number;
  name: string;
  statements: readonly string[];
}
