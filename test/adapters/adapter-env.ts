/**
 * Env every adapter e2e test adds to its config: these tests make many requests from one key on purpose,
 * and the API's per-key request limits (tested in test/security/) would turn them into 429s.
 */
export const ADAPTER_TEST_ENV = { RATE_LIMITS_ENABLED: 'false' } as const;
