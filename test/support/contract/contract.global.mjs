// jest globalSetup / globalTeardown: one line after the run with what the contract check saw in all files.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'strata-contract-'));
  // Inherited by the test workers, which Jest starts after this.
  process.env.STRATA_CONTRACT_SUMMARY = join(dir, 'summary.jsonl');
}

export async function teardown() {
  const file = process.env.STRATA_CONTRACT_SUMMARY;
  if (!file) return;
  const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : [];
  const rows = lines.map((l) => JSON.parse(l));
  const checked = rows.reduce((n, r) => n + r.checked, 0);
  const violations = rows.reduce((n, r) => n + r.violations, 0);
  process.stdout.write(
    `\ncontract: ${checked} answers from ${rows.length} test files checked against the OpenAPI document; ${violations} violations\n`,
  );
  rmSync(join(file, '..'), { recursive: true, force: true });
}
