import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  Put,
  Res,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AdminOnly } from '../auth/auth.decorators.js';
import { CachedRoute } from '../cache/cached-route.decorator.js';
import { ValidationFailedException } from '../http/zod-validation.pipe.js';
import { RateLimited } from '../rate-limit/rate-limited.decorator.js';
import { TaxonomyItemBodyPipe } from './taxonomy-item-body.pipe.js';
import { slugSchema, type TaxonomyItemBody } from './taxonomy-item.dto.js';
import { isTaxonomyKind, TAXONOMY_KINDS, type TaxonomyKind } from './taxonomy-kind.js';
import {
  TaxonomyConflictError,
  TaxonomyUnknownEpochError,
  TaxonomyValidationError,
} from './taxonomy.errors.js';
import { TaxonomyService } from './taxonomy.service.js';

function kindOrNotFound(kind: string): TaxonomyKind {
  if (!isTaxonomyKind(kind))
    throw new NotFoundException(`unknown taxonomy kind "${kind}"; one of ${TAXONOMY_KINDS.join(', ')}`);
  return kind;
}

function slugOrBadRequest(slug: string): string {
  const result = slugSchema.safeParse(slug);
  if (!result.success)
    throw new ValidationFailedException([{ field: 'slug', message: result.error.issues[0].message }]);
  return slug;
}

/** Maps the repository's domain errors to HTTP; anything else stays a 500. */
function toHttpError(err: unknown): unknown {
  if (err instanceof TaxonomyConflictError) return new ConflictException(err.message);
  if (err instanceof TaxonomyUnknownEpochError)
    return new UnprocessableEntityException({
      message: err.message,
      details: [{ field: 'epochSlug', message: err.message }],
    });
  if (err instanceof TaxonomyValidationError)
    return new ValidationFailedException([{ field: '(body)', message: err.message }]);
  return err;
}

/** Reads are cached (same answer for every caller); writes are admin-only and move the cache generation. */
@Controller('v1/taxonomy')
export class TaxonomyController {
  constructor(private readonly taxonomy: TaxonomyService) {}

  @Get()
  @CachedRoute({ namespace: 'taxonomy' })
  snapshot() {
    return this.taxonomy.snapshot();
  }

  @Get(':kind')
  @CachedRoute({ namespace: 'taxonomy' })
  list(@Param('kind') kind: string) {
    return this.taxonomy.list(kindOrNotFound(kind));
  }

  @Get(':kind/:slug')
  @CachedRoute({ namespace: 'taxonomy' })
  async get(@Param('kind') kind: string, @Param('slug') slug: string) {
    const item = await this.taxonomy.get(kindOrNotFound(kind), slug);
    if (!item) throw new NotFoundException(`no ${kind} item "${slug}"`);
    return item;
  }

  @Put(':kind/:slug')
  @AdminOnly()
  @RateLimited('taxonomy:write')
  async put(
    @Param('kind') kind: string,
    @Param('slug') slug: string,
    @Body(new TaxonomyItemBodyPipe()) body: TaxonomyItemBody,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const checkedKind = kindOrNotFound(kind);
    if (checkedKind === 'stages' && !body.epochSlug)
      throw new ValidationFailedException([{ field: 'epochSlug', message: 'required for stages' }]);
    if (checkedKind !== 'stages' && body.epochSlug)
      throw new ValidationFailedException([
        { field: 'epochSlug', message: 'only stages belong to an epoch' },
      ]);
    try {
      const result = await this.taxonomy.put(checkedKind, slugOrBadRequest(slug), body);
      // Nest would apply the route's single default status; create and replace answer differently.
      void reply
        .status(result.created ? HttpStatus.CREATED : HttpStatus.OK)
        .send({ ...result.item, version: result.version });
    } catch (err) {
      throw toHttpError(err);
    }
  }

  @Delete(':kind/:slug')
  @AdminOnly()
  @RateLimited('taxonomy:write')
  @HttpCode(HttpStatus.NO_CONTENT)
  async delete(@Param('kind') kind: string, @Param('slug') slug: string) {
    try {
      const result = await this.taxonomy.delete(kindOrNotFound(kind), slug);
      if (!result.deleted) throw new NotFoundException(`no ${kind} item "${slug}"`);
    } catch (err) {
      throw toHttpError(err);
    }
  }
}
