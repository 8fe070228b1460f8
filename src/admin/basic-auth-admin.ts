import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyService } from '../auth/api-key.service.js';
import type { Principal } from '../auth/principal.js';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The admin behind an `Authorization: Basic` header whose user is an API key's id and whose password is
 * that key, or undefined. Fails closed: a malformed header, an unknown key, a key of another id, a client
 * key, or any error at all yields undefined. The key is checked by ApiKeyService (constant time); the id
 * is compared in constant time too, so timing tells nothing about which part was wrong.
 */
export function adminFromBasicAuth(
  header: unknown,
  keys: Pick<ApiKeyService, 'authenticate'>,
): Principal | undefined {
  try {
    if (typeof header !== 'string') return undefined;
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
    if (!match) return undefined;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return undefined;
    const user = decoded.slice(0, colon);
    const principal = keys.authenticate(decoded.slice(colon + 1));
    const sameId = timingSafeEqual(digest(user), digest(principal?.id ?? ''));
    return principal && sameId && principal.role === 'admin' ? principal : undefined;
  } catch {
    return undefined;
  }
}
