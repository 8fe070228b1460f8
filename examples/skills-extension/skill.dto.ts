import { z } from 'zod';

export const skillSlugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case')
  .max(64);

/** A skill as the API shows it. */
export const skillSchema = z
  .object({
    slug: skillSlugSchema,
    name: z.string(),
    category: z.string(),
    aliases: z.array(z.string()),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Skill', description: 'One skill of the glossary' });

export type Skill = z.output<typeof skillSchema>;

/** The body of `PUT /v1/skills/:slug`: the whole skill but its slug (the path) and updatedAt. */
export const skillBodySchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    category: z.string().trim().min(1).max(40),
    aliases: z.array(z.string().trim().toLowerCase().min(1).max(40)).max(20).default([]),
  })
  .strict()
  .meta({ id: 'SkillBody', description: 'A whole skill: omitted aliases reset to none' });

export type SkillBody = z.output<typeof skillBodySchema>;
