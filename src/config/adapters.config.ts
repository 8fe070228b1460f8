import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { booleanFlag, defineConfigSection, intFrom, optionalString } from './config-section.js';
import { mailbox } from './mailbox.schema.js';

/** An optional URL with one of `schemes`; the message never echoes the value (it may carry credentials). */
const urlOf = (schemes: string[]) =>
  optionalString().pipe(
    z
      .string()
      .refine(
        (s) => URL.canParse(s) && schemes.includes(new URL(s).protocol.slice(0, -1)),
        `must be a ${schemes.map((s) => `${s}://`).join(' or ')} URL`,
      )
      .optional(),
  );

export const adaptersConfig = defineConfigSection(
  {
    LLM_BASE_URL: urlOf(['http', 'https']),
    LLM_API_KEY: optionalString(),
    LLM_MODEL: z.string().min(1).max(200).default('gpt-4o-mini'),
    LLM_TIMEOUT_MS: intFrom(1_000, 600_000, 60_000),
    LLM_MAX_PER_MINUTE: intFrom(0, 100_000, 60),
    LLM_STREAM: booleanFlag(true),
    LLM_MAX_TOKENS: intFrom(16, 32_768, 1_200),
    JOB_SEARCH_URL: urlOf(['http', 'https']),
    JOB_SEARCH_API_KEY: optionalString(),
    JOB_SEARCH_TIMEOUT_MS: intFrom(100, 120_000, 15_000),
    JOB_SEARCH_MAX_BYTES: intFrom(1_024, 64 * 1024 * 1024, 1024 * 1024),
    JOB_SEARCH_CACHE_TTL_S: intFrom(0, 7 * 86_400, 600),
    SMTP_URL: urlOf(['smtp', 'smtps']),
    SMTP_FROM: optionalString(),
    SMTP_MAX_PER_MINUTE: intFrom(0, 100_000, 60),
    SMTP_POOL_SIZE: intFrom(1, 100, 5),
    SMTP_TIMEOUT_MS: intFrom(1_000, 600_000, 30_000),
    SMTP_SEND_LEASE_MS: intFrom(1_000, 3_600_000, 60_000),
    PDF_RENDER_THREADS: intFrom(0, 64, 0),
    PDF_RENDER_TIMEOUT_MS: intFrom(1_000, 600_000, 120_000),
    PDF_RENDER_MAX_MEMORY_MB: intFrom(32, 8_192, 256),
    ARTIFACT_SWEEP_INTERVAL_MS: intFrom(100, 86_400_000, 60_000),
  },
  (v, env) => ({
    /** Unset base URL: narratives come from the offline template writer. */
    llm: v.LLM_BASE_URL
      ? {
          baseUrl: v.LLM_BASE_URL.replace(/\/+$/, ''),
          apiKey: v.LLM_API_KEY,
          model: v.LLM_MODEL,
          timeoutMs: v.LLM_TIMEOUT_MS,
          /** Calls per minute across every worker (BullMQ's queue rate limiter); 0: no limit. */
          maxPerMinute: v.LLM_MAX_PER_MINUTE,
          stream: v.LLM_STREAM,
          maxTokens: v.LLM_MAX_TOKENS,
        }
      : undefined,
    /** Unset URL: searches run over the built-in dataset. */
    jobSearch: v.JOB_SEARCH_URL
      ? {
          url: v.JOB_SEARCH_URL,
          apiKey: v.JOB_SEARCH_API_KEY,
          timeoutMs: v.JOB_SEARCH_TIMEOUT_MS,
          maxBytes: v.JOB_SEARCH_MAX_BYTES,
          cacheTtlMs: v.JOB_SEARCH_CACHE_TTL_S * 1000,
        }
      : undefined,
    /** Unset URL: email is written as .eml files to DATA_DIR/outbox. */
    smtp: v.SMTP_URL
      ? {
          url: v.SMTP_URL,
          from: v.SMTP_FROM ?? env.EMAIL_FROM ?? 'Strata <no-reply@strata.invalid>',
          maxPerMinute: v.SMTP_MAX_PER_MINUTE,
          poolSize: v.SMTP_POOL_SIZE,
          timeoutMs: v.SMTP_TIMEOUT_MS,
          /** How long an attempt holds a send; after a crash, a retry waits this long before sending. */
          sendLeaseMs: v.SMTP_SEND_LEASE_MS,
        }
      : undefined,
    pdf: {
      /** Rendering threads per worker process; 0: one less than the cores, at least one. */
      threads: v.PDF_RENDER_THREADS || Math.max(1, availableParallelism() - 1),
      timeoutMs: v.PDF_RENDER_TIMEOUT_MS,
      maxMemoryMb: v.PDF_RENDER_MAX_MEMORY_MB,
    },
    artifactSweepIntervalMs: v.ARTIFACT_SWEEP_INTERVAL_MS,
  }),
  (out) => {
    const problems: string[] = [];
    if (out.smtp && !mailbox.safeParse(out.smtp.from).success) {
      problems.push('SMTP_FROM: must be a single e-mail address, e.g. "Strata <no-reply@example.com>"');
    }
    return problems;
  },
);
