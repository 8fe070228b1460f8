import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineConfigSection, optionalString } from './config-section.js';

export const API_ROLES = ['admin', 'client'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ApiKeyEntry {
  id: string;
  role: ApiRole;
  /** sha256 of the key; plain keys are hashed here and never kept. */
  sha256: Buffer;
}

/** The keys shipped in `.env.example`: a production process refuses to start with them. */
export const EXAMPLE_API_KEYS =
  'admin:admin:change-me-admin-key-0123456789,alice:client:change-me-client-key-0123456789';

const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const SHA256 = /^sha256:[0-9a-f]{64}$/i;

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Parses `id:role:key,...`; a problem names the entry by position and id, never by its key. */
function parseApiKeys(raw: string, ctx: z.RefinementCtx): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  const ids = new Set<string>();
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .forEach((item, index) => {
      const [id = '', role = '', ...rest] = item.split(':');
      const key = rest.join(':');
      const where = `entry ${index + 1}${ID.test(id) ? ` (${id})` : ''}`;
      if (!ID.test(id))
        ctx.addIssue({
          code: 'custom',
          message: `${where}: id must match ${ID}`,
        });
      else if (ids.has(id)) ctx.addIssue({ code: 'custom', message: `${where}: duplicate id` });
      if (!API_ROLES.includes(role as ApiRole))
        ctx.addIssue({
          code: 'custom',
          message: `${where}: role must be admin or client`,
        });
      const hashed = key.startsWith('sha256:');
      if (hashed && !SHA256.test(key))
        ctx.addIssue({
          code: 'custom',
          message: `${where}: sha256: must be followed by 64 hex digits`,
        });
      if (!hashed && key.length < 16)
        ctx.addIssue({
          code: 'custom',
          message: `${where}: key must be at least 16 characters`,
        });
      ids.add(id);
      entries.push({
        id,
        role: role as ApiRole,
        sha256: hashed ? Buffer.from(key.slice(7), 'hex') : sha256(key),
      });
    });
  return entries;
}

export const authConfig = defineConfigSection(
  {
    API_KEYS: optionalString().transform((raw, ctx) => {
      return raw === undefined ? undefined : parseApiKeys(raw, ctx);
    }),
  },
  (v, env) => {
    const keys = v.API_KEYS ?? [];
    return {
      keys,
      /** Development convenience: no keys configured, so the service makes a pair at start. */
      generateDevKeys: keys.length === 0 && env.NODE_ENV !== 'production',
    };
  },
  (out, env) => {
    if (env.NODE_ENV !== 'production') return [];
    if (out.keys.length === 0) return ['API_KEYS: required when NODE_ENV=production'];
    const example = new Set(EXAMPLE_API_KEYS.split(',').map((e) => e.split(':').slice(2).join(':')));
    const reused = out.keys.some((k) => [...example].some((key) => sha256(key).equals(k.sha256)));
    return reused
      ? ['API_KEYS: the example keys from .env.example are refused when NODE_ENV=production']
      : [];
  },
);
