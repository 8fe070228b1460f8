/** Every dependency probe answers within this bound, so a health request never hangs on a dead peer. */
export const HEALTH_TIMEOUT_MS = 1_000;
