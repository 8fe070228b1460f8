import { z } from 'zod';

export const NARRATIVE_TONES = ['warm', 'formal', 'bold'] as const;
export const NARRATIVE_LENGTHS = ['short', 'medium', 'long'] as const;

// YYYY, YYYY-MM or YYYY-MM-DD: a CV often knows only the year or the month.
const partialDate = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, 'expected YYYY, YYYY-MM or YYYY-MM-DD');
const slug = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);

const experienceSchema = z
  .object({
    title: z.string().trim().min(1).max(120),
    organization: z.string().trim().min(1).max(120),
    start: partialDate,
    /** Absent while the role is ongoing. */
    end: partialDate.optional(),
    highlights: z.array(z.string().trim().min(1).max(300)).max(20),
  })
  .refine((e) => e.end === undefined || e.end >= e.start, {
    message: 'end must not be before start',
    path: ['end'],
  });

/** Validates a narrative payload; the API layer reuses it so a bad request fails before it is queued. */
export const narrativeInputSchema = z
  .object({
    subject: z.object({
      name: z.string().trim().min(1).max(120),
      headline: z.string().trim().min(1).max(200).optional(),
      experiences: z.array(experienceSchema).min(1).max(30),
    }),
    maskSlug: slug.optional(),
    epochSlug: slug.optional(),
    tone: z.enum(NARRATIVE_TONES).default('warm'),
    length: z.enum(NARRATIVE_LENGTHS).default('medium'),
  })
  .meta({
    example: {
      subject: {
        name: 'Ada Okafor',
        headline: 'Builds calm systems',
        experiences: [
          {
            title: 'Staff Engineer',
            organization: 'Globex',
            start: '2019-07',
            highlights: ['Built the queue'],
          },
        ],
      },
      maskSlug: 'the-builder',
      tone: 'warm',
    },
  });

export type NarrativeInput = z.input<typeof narrativeInputSchema>;
export type NarrativeTone = (typeof NARRATIVE_TONES)[number];
export type NarrativeLength = (typeof NARRATIVE_LENGTHS)[number];

const usageSchema = z
  .object({
    promptTokens: z.number().int(),
    completionTokens: z.number().int(),
    totalTokens: z.number().int(),
  })
  .nullable()
  .meta({ description: 'As the provider reported it; null when it did not' });

/** What a narrative task completes with: the text, and who wrote it (templates, or the LLM adapter). */
export const narrativeResultSchema = z.discriminatedUnion('generator', [
  z.object({ text: z.string(), generator: z.literal('template') }),
  z.object({ text: z.string(), generator: z.literal('llm'), model: z.string(), usage: usageSchema }),
]);
