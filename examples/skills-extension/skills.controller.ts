import { Body, Controller, Get, HttpStatus, NotFoundException, Param, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AdminOnly } from '../../src/auth/auth.decorators.js';
import { CachedRoute } from '../../src/cache/cached-route.decorator.js';
import { ValidationFailedException, ZodValidationPipe } from '../../src/http/zod-validation.pipe.js';
import { type SkillBody, skillBodySchema, skillSlugSchema } from './skill.dto.js';
import { SkillsService } from './skills.service.js';

function slugOrBadRequest(slug: string): string {
  const parsed = skillSlugSchema.safeParse(slug);
  if (!parsed.success)
    throw new ValidationFailedException([{ field: 'slug', message: parsed.error.issues[0].message }]);
  return slug;
}

/** Reads are cached for every caller alike (the `skills` namespace); writes are admin-only. */
@Controller('v1/skills')
export class SkillsController {
  constructor(private readonly skills: SkillsService) {}

  @Get()
  @CachedRoute({ namespace: 'skills' })
  async list() {
    return { items: await this.skills.list() };
  }

  @Get(':slug')
  @CachedRoute({ namespace: 'skills' })
  async get(@Param('slug') slug: string) {
    const skill = await this.skills.get(slugOrBadRequest(slug));
    if (!skill) throw new NotFoundException(`no skill "${slug}"`);
    return skill;
  }

  @Put(':slug')
  @AdminOnly()
  async put(
    @Param('slug') slug: string,
    @Body(new ZodValidationPipe(skillBodySchema)) body: SkillBody,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { skill, created } = await this.skills.put(slugOrBadRequest(slug), body);
    void reply.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return skill;
  }
}
