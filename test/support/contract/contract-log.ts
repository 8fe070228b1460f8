import type { ContractValidator, Exchange } from './contract-validator.js';

/** What this test file's apps answered, checked against their documents (read by contract.setup.ts). */
export const contractLog = { checked: 0, violations: [] as string[] };

/** Keeps checking: a test that provokes one violation must not hide the others. */
export function checkExchange(validator: ContractValidator, exchange: Exchange): void {
  contractLog.checked++;
  for (const violation of validator.check(exchange)) contractLog.violations.push(violation);
}
