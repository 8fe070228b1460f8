import type { Principal } from '../auth/principal.js';
import { adminFromBasicAuth } from './basic-auth-admin.js';

const KEYS: Record<string, Principal> = {
  'admin-secret-key-0123456789': { id: 'root', role: 'admin' },
  'client-secret-key-0123456789': { id: 'alice', role: 'client' },
};
const keys = { authenticate: (key: string | undefined) => (key ? KEYS[key] : undefined) };
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

describe('adminFromBasicAuth', () => {
  it('accepts an admin key under its own id', () => {
    expect(adminFromBasicAuth(basic('root', 'admin-secret-key-0123456789'), keys)).toEqual({
      id: 'root',
      role: 'admin',
    });
  });

  it('accepts a key containing colons (only the first separates user and password)', () => {
    const withColon = {
      authenticate: (k?: string) => (k === 'a:b:c-key' ? KEYS['admin-secret-key-0123456789'] : undefined),
    };
    expect(adminFromBasicAuth(basic('root', 'a:b:c-key'), withColon)?.id).toBe('root');
  });

  it.each([
    ['no header', undefined],
    ['a Bearer header', 'Bearer admin-secret-key-0123456789'],
    ['garbage', 'Basic !!!'],
    ['no colon', `Basic ${Buffer.from('root').toString('base64')}`],
    ['an empty user', basic('', 'admin-secret-key-0123456789')],
    ['the wrong id for the key', basic('alice', 'admin-secret-key-0123456789')],
    ['an unknown key', basic('root', 'not-a-key-at-all-000000')],
    ['a client key', basic('alice', 'client-secret-key-0123456789')],
  ])('refuses %s', (_name, header) => {
    expect(adminFromBasicAuth(header, keys)).toBeUndefined();
  });

  it('fails closed when the key check throws', () => {
    const broken = {
      authenticate: () => {
        throw new Error('boom');
      },
    };
    expect(adminFromBasicAuth(basic('root', 'admin-secret-key-0123456789'), broken)).toBeUndefined();
  });
});
