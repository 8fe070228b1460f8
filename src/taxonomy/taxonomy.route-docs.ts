import { z } from 'zod';
import { cachedRouteDocs } from '../cache/cached-route.docs.js';
import { RouteDocSet, routeDocsProvider } from '../http/route-doc-set.js';
import type { RouteDocs } from '../http/route-doc.js';
import { TAXONOMY_LIMITS } from './taxonomy-item.entity.js';
import { slugSchema, taxonomyItemBodySchema } from './taxonomy-item.dto.js';
import { TAXONOMY_KINDS, type TaxonomyKind } from './taxonomy-kind.js';

/** What one item of each kind is called in the document (and in a generated client). */
const NAMES: Record<TaxonomyKind, string> = { masks: 'Mask', epochs: 'Epoch', stages: 'Stage' };

const tag = 'taxonomy';
const {
  description: cached,
  requestHeaders: ifNoneMatch,
  answerHeaders: cacheHeaders,
  notModified,
} = cachedRouteDocs;
const slug = { description: 'The item, kebab-case', schema: slugSchema, example: 'the-builder' };

const itemFields = {
  slug: slugSchema,
  name: z.string().max(TAXONOMY_LIMITS.nameMaxLength),
  description: z.string().max(TAXONOMY_LIMITS.descriptionMaxLength),
  position: z.number().int(),
  attributes: z.record(z.string(), z.unknown()),
  updatedAt: z.iso.datetime(),
};

function kindSchemas(kind: TaxonomyKind) {
  const name = NAMES[kind];
  const epoch = { epochSlug: slugSchema.meta({ description: 'The epoch this stage belongs to' }) };
  const item = (kind === 'stages' ? z.object({ ...itemFields, ...epoch }) : z.object(itemFields)).meta({
    id: name,
    description: `One of the ${kind}`,
  });
  const body = (
    kind === 'stages'
      ? taxonomyItemBodySchema.extend(epoch)
      : taxonomyItemBodySchema.omit({ epochSlug: true })
  ).meta({
    id: `${name}Body`,
    description: 'A whole item: omitted optional fields reset to their defaults (not kept)',
    example: {
      name: 'The Builder',
      description: 'Makes things',
      position: 1,
      attributes: {},
      ...(kind === 'stages' ? { epochSlug: 'early-career' } : {}),
    },
  });
  return {
    item,
    body,
    list: z.object({ version: z.number().int(), items: z.array(item) }).meta({ id: `${name}List` }),
    saved: item
      .extend({ version: z.number().int().meta({ description: 'The taxonomy version this write made' }) })
      .meta({ id: `${name}Saved` }),
  };
}

const SCHEMAS = Object.fromEntries(TAXONOMY_KINDS.map((k) => [k, kindSchemas(k)])) as Record<
  TaxonomyKind,
  ReturnType<typeof kindSchemas>
>;

export const taxonomySnapshotSchema = z
  .object({
    version: z.number().int().meta({ description: 'Moves on every write' }),
    masks: z.array(SCHEMAS.masks.item),
    epochs: z.array(SCHEMAS.epochs.item),
    stages: z.array(SCHEMAS.stages.item),
  })
  .meta({ id: 'TaxonomySnapshot' });

/** One path per kind, so a generated client knows each kind's item type. */
function kindRoutes(kind: TaxonomyKind): RouteDocs {
  const { item, body, list, saved } = SCHEMAS[kind];
  const name = NAMES[kind];
  return {
    [`GET /v1/taxonomy/${kind}`]: {
      operationId: `list${name}s`,
      summary: `Every item of ${kind}, in position order`,
      description: cached,
      tag,
      access: 'key',
      headers: ifNoneMatch,
      responses: {
        200: { description: 'The collection', schema: list, headers: cacheHeaders },
        304: notModified,
      },
    },
    [`GET /v1/taxonomy/${kind}/{slug}`]: {
      operationId: `get${name}`,
      summary: `One item of ${kind}`,
      description: cached,
      tag,
      access: 'key',
      params: { slug },
      headers: ifNoneMatch,
      responses: { 200: { description: 'The item', schema: item, headers: cacheHeaders }, 304: notModified },
      errors: [404],
    },
    [`PUT /v1/taxonomy/${kind}/{slug}`]: {
      operationId: `put${name}`,
      summary: `Create or wholly replace an item of ${kind}`,
      description:
        'A replace, not a merge: omitted optional fields reset to their defaults. ' +
        (kind === 'stages' ? '`epochSlug` names an existing epoch (else 422). ' : '') +
        'Every write moves the taxonomy version, and no cached read afterwards is older than it.',
      tag,
      access: 'admin',
      params: { slug },
      body,
      responses: {
        200: { description: 'Replaced', schema: saved },
        201: { description: 'Created', schema: saved },
      },
      errors: kind === 'stages' ? [409, 422] : [409],
    },
    [`DELETE /v1/taxonomy/${kind}/{slug}`]: {
      operationId: `delete${name}`,
      summary: `Delete an item of ${kind}`,
      description: kind === 'epochs' ? 'An epoch that still has stages cannot be deleted (409).' : undefined,
      tag,
      access: 'admin',
      params: { slug },
      responses: { 204: { description: 'Deleted' } },
      errors: kind === 'epochs' ? [404, 409] : [404],
    },
  };
}

export const taxonomyRouteDocs = routeDocsProvider(
  'taxonomy',
  () =>
    new RouteDocSet(
      [{ name: tag, description: 'Masks, epochs and stages: cached reads, admin writes' }],
      () => ({
        'GET /v1/taxonomy': {
          operationId: 'getTaxonomy',
          summary: 'Every mask, epoch and stage, with the taxonomy version',
          description: cached,
          tag,
          access: 'key',
          headers: ifNoneMatch,
          responses: {
            200: { description: 'The whole taxonomy', schema: taxonomySnapshotSchema, headers: cacheHeaders },
            304: notModified,
          },
        },
        ...Object.assign({}, ...TAXONOMY_KINDS.map(kindRoutes)),
      }),
    ),
);
