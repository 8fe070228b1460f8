/**
 * The least-privilege ACL docs/security.md gives the app's Redis user, as redis-server arguments: only
 * keys and channels under `strata:`, no dangerous command except the two the clients send on connect.
 */
export function appUserAcl(user: string, password: string): string[] {
  return [
    '--user',
    'default',
    'off',
    '--user',
    user,
    'on',
    `>${password}`,
    '~strata:*',
    '&strata:*',
    '+@all',
    '-@dangerous',
    '+info',
    '+client|setname',
    // The test's own observer, to look at keys and connections; not something the app gets.
    '--user',
    'observer',
    'on',
    '>observer-password-1234',
    '~*',
    '&*',
    '+@all',
  ];
}

export const observerUrl = (port: number) => `redis://observer:observer-password-1234@127.0.0.1:${port}`;
