import { z } from 'zod';
import { RouteDocSet, routeDocsProvider } from '../../src/http/route-doc-set.js';
import { skillBodySchema, skillSchema, skillSlugSchema } from './skill.dto.js';

const tag = 'skills';
const cacheHeaders = { ETag: 'ETag', 'Cache-Control': 'Cache-Control', 'X-Cache': 'X-Cache' } as const;
const ifNoneMatch = {
  'if-none-match': {
    description: 'An ETag from an earlier answer',
    schema: z.string(),
    example: '"k3x9f0q"',
  },
};
const notModified = {
  description: 'Unchanged since the ETag sent in `If-None-Match`',
  headers: cacheHeaders,
};
const slug = { description: 'The skill, kebab-case', schema: skillSlugSchema, example: 'typescript' };

/** The module's part of the OpenAPI document: listed among its providers, it appears like a built-in one. */
export const skillsRouteDocs = routeDocsProvider(
  'skills',
  () =>
    new RouteDocSet([{ name: tag, description: 'A glossary of skills (an example extension)' }], () => ({
      'GET /v1/skills': {
        operationId: 'listSkills',
        summary: 'Every skill, by slug',
        description: 'Cached in the `skills` namespace; never older than the last write.',
        tag,
        access: 'key',
        headers: ifNoneMatch,
        responses: {
          200: {
            description: 'The glossary',
            schema: z.object({ items: z.array(skillSchema) }).meta({ id: 'SkillList' }),
            headers: cacheHeaders,
          },
          304: notModified,
        },
      },
      'GET /v1/skills/{slug}': {
        operationId: 'getSkill',
        summary: 'One skill',
        description: 'Cached in the `skills` namespace; never older than the last write.',
        tag,
        access: 'key',
        params: { slug },
        headers: ifNoneMatch,
        responses: {
          200: { description: 'The skill', schema: skillSchema, headers: cacheHeaders },
          304: notModified,
        },
        errors: [404],
      },
      'PUT /v1/skills/{slug}': {
        operationId: 'putSkill',
        summary: 'Create or wholly replace a skill',
        tag,
        access: 'admin',
        params: { slug },
        body: skillBodySchema,
        bodyExample: { name: 'TypeScript', category: 'language', aliases: ['ts'] },
        responses: {
          200: { description: 'Replaced', schema: skillSchema },
          201: { description: 'Created', schema: skillSchema },
        },
      },
    })),
);
