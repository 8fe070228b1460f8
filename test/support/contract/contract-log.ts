import type { ContractValidator, Exchange } from './contract-validator.js';

/** What this test file's apps answered, checked against their documents (read by contract.setup.ts). */
export const contractLog = { checked: 0, violations: [] as string[] };

/**
 * Answers wait here and are checked after the test file (or when many have piled up), not as they
 * arrive: several tests bound latencies (reads under 100 ms through a Redis SIGKILL, /health/live under
 * 50 ms while a PDF renders), and a check is work on the same event loop as the app.
 */
const queue: [ContractValidator, Exchange][] = [];
const BATCH = 5_000;

export function checkExchange(validator: ContractValidator, exchange: Exchange): void {
  queue.push([validator, exchange]);
  if (queue.length >= BATCH) flushContractChecks();
}

/** Checks every answer waiting; a violation never hides the others. */
export function flushContractChecks(): void {
  for (const [validator, exchange] of queue.splice(0)) {
    contractLog.checked++;
    for (const violation of validator.check(exchange)) contractLog.violations.push(violation);
  }
}
