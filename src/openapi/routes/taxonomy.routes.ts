import { z } from 'zod';
import { taxonomyItemBodySchema } from '../../taxonomy/taxonomy-item.dto.js';
import {
  kindSchema,
  slugSchema,
  taxonomyItemSchema,
  taxonomyListSchema,
  taxonomySnapshotSchema,
  taxonomyWriteSchema,
} from '../api-schemas.js';
import type { RouteDocs } from '../route-doc.js';

const kind = { description: 'The collection', schema: kindSchema };
const slug = { description: 'The item, kebab-case', schema: slugSchema };
const cached =
  'Cached (memory and Redis, never older than the last write); answers carry `ETag` and `X-Cache: HIT|MISS`, ' +
  'and a matching `If-None-Match` gets a 304.';
const ifNoneMatch = {
  'if-none-match': { description: 'An ETag from an earlier answer', schema: z.string() },
};
const notModified = { description: 'Unchanged since the ETag sent in `If-None-Match`' };

export const TAXONOMY_ROUTES: RouteDocs = {
  'GET /v1/taxonomy': {
    summary: 'Every mask, epoch and stage, with the taxonomy version',
    description: cached,
    tag: 'taxonomy',
    access: 'key',
    headers: ifNoneMatch,
    responses: {
      200: { description: 'The whole taxonomy', schema: taxonomySnapshotSchema },
      304: notModified,
    },
  },
  'GET /v1/taxonomy/{kind}': {
    summary: 'One collection, in position order',
    description: cached,
    tag: 'taxonomy',
    access: 'key',
    params: { kind },
    headers: ifNoneMatch,
    responses: { 200: { description: 'The collection', schema: taxonomyListSchema }, 304: notModified },
    errors: [404],
  },
  'GET /v1/taxonomy/{kind}/{slug}': {
    summary: 'One item',
    description: cached,
    tag: 'taxonomy',
    access: 'key',
    params: { kind, slug },
    headers: ifNoneMatch,
    responses: { 200: { description: 'The item', schema: taxonomyItemSchema }, 304: notModified },
    errors: [404],
  },
  'PUT /v1/taxonomy/{kind}/{slug}': {
    summary: 'Create or wholly replace an item',
    description:
      'Omitted optional fields reset to their defaults. Stages need `epochSlug`; other kinds refuse it. ' +
      'Every write moves the taxonomy version, and no cached read afterwards is older than it.',
    tag: 'taxonomy',
    access: 'admin',
    params: { kind, slug },
    body: taxonomyItemBodySchema,
    responses: {
      200: { description: 'Replaced', schema: taxonomyWriteSchema },
      201: { description: 'Created', schema: taxonomyWriteSchema },
    },
    errors: [404, 409, 422],
  },
  'DELETE /v1/taxonomy/{kind}/{slug}': {
    summary: 'Delete an item',
    description: 'An epoch that still has stages cannot be deleted (409).',
    tag: 'taxonomy',
    access: 'admin',
    params: { kind, slug },
    responses: { 204: { description: 'Deleted' } },
    errors: [404, 409],
  },
};
