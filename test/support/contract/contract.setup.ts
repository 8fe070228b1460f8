import { appendFileSync } from 'node:fs';
import { childChecksDone } from './child-contract.js';
import { contractLog, flushContractChecks } from './contract-log.js';

/**
 * Run after each test file (jest `setupFilesAfterEnv`): the file fails if any answer its apps sent broke
 * the OpenAPI document, naming the operation and the violation. The counts go to the run's summary
 * (contract.global.mjs), so `npm test` ends with the total for the whole suite.
 */
afterAll(async () => {
  // A service process's answers are queued once read; then every queued answer is checked.
  await childChecksDone();
  flushContractChecks();
  const summary = process.env.STRATA_CONTRACT_SUMMARY;
  const file = expect.getState().testPath ?? 'unknown';
  if (summary && contractLog.checked > 0) {
    appendFileSync(
      summary,
      `${JSON.stringify({ file, checked: contractLog.checked, violations: contractLog.violations.length })}\n`,
    );
  }
  const violations = [...new Set(contractLog.violations)];
  if (violations.length > 0) {
    throw new Error(
      `${violations.length} answer(s) broke the OpenAPI document:\n  - ${violations.slice(0, 50).join('\n  - ')}`,
    );
  }
});
