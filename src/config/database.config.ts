import { z } from 'zod';
import { defineConfigSection } from './config-section.js';

export const databaseConfig = defineConfigSection(
  {
    DATABASE_URL: z.preprocess(
      (v) => (v === '' ? undefined : v),
      z
        .string()
        .refine((s) => /^postgres(ql)?:\/\//.test(s), 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
  },
  (v) => ({
    /** Unset: embedded PGlite under `<DATA_DIR>/pglite`. */
    url: v.DATABASE_URL,
  }),
);
