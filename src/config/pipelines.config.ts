import { defineConfigSection, intFrom } from './config-section.js';

export const pipelinesConfig = defineConfigSection(
  {
    PIPELINE_DEV_TTL_SECONDS: intFrom(60, 30 * 86_400, 86_400),
    PIPELINE_MAX_STEPS: intFrom(1, 100, 20),
    PIPELINE_EVENTS_POLL_MS: intFrom(50, 60_000, 500),
  },
  (v) => ({
    /** How long a development run's cached step outputs are kept after the last write. */
    devTtlS: v.PIPELINE_DEV_TTL_SECONDS,
    maxSteps: v.PIPELINE_MAX_STEPS,
    /** How often an open `/events` stream re-reads its run. */
    eventsPollMs: v.PIPELINE_EVENTS_POLL_MS,
  }),
);
