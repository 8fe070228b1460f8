import { z } from 'zod';
import { cachedRouteDocs } from '../../src/cache/cached-route.docs.js';
import { RouteDocSet, routeDocsProvider } from '../../src/http/route-doc-set.js';
import { skillBodySchema, skillSchema, skillSlugSchema } from './skill.dto.js';

const { description, requestHeaders, answerHeaders, notModified } = cachedRouteDocs;
const slug = { description: 'The skill, kebab-case', schema: skillSlugSchema, example: 'typescript' };

/** The module's part of the OpenAPI document: listed among its providers, it appears like a built-in one. */
export const skillsRouteDocs = routeDocsProvider(
  'skills',
  () =>
    new RouteDocSet([{ name: 'skills', description: 'A glossary of skills (an example extension)' }], () => ({
      'GET /v1/skills': {
        operationId: 'listSkills',
        summary: 'Every skill, by slug',
        description,
        tag: 'skills',
        access: 'key',
        headers: requestHeaders,
        responses: {
          200: {
            description: 'The glossary',
            schema: z.object({ items: z.array(skillSchema) }).meta({ id: 'SkillList' }),
            headers: answerHeaders,
          },
          304: notModified,
        },
      },
      'GET /v1/skills/{slug}': {
        operationId: 'getSkill',
        summary: 'One skill',
        description,
        tag: 'skills',
        access: 'key',
        params: { slug },
        headers: requestHeaders,
        responses: {
          200: { description: 'The skill', schema: skillSchema, headers: answerHeaders },
          304: notModified,
        },
        errors: [404],
      },
      'PUT /v1/skills/{slug}': {
        operationId: 'putSkill',
        summary: 'Create or wholly replace a skill',
        tag: 'skills',
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
