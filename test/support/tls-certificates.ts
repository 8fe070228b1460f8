import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const openssl = (...args: string[]): void => {
  execFileSync('openssl', args, { stdio: 'ignore' });
};

/**
 * A self-signed certificate valid for a day, and its key: `<name>.pem` and `<name>.key` in `dir`, for
 * `subject` (`/CN=...`); `extra` goes on the command line (`-addext subjectAltName=IP:127.0.0.1`).
 */
export function selfSigned(
  dir: string,
  name: string,
  subject: string,
  ...extra: string[]
): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-keyout',
    key,
    '-out',
    cert,
    '-subj',
    subject,
    ...extra,
  );
  return { key, cert };
}

/** redis-server's arguments for a TLS port serving `cert`, with no client certificates asked for. */
export function redisTlsArgs(
  port: number,
  { cert, key, ca }: { cert: string; key: string; ca: string },
): string[] {
  return [
    '--tls-port',
    String(port),
    '--tls-cert-file',
    cert,
    '--tls-key-file',
    key,
    '--tls-ca-cert-file',
    ca,
    '--tls-auth-clients',
    'no',
  ];
}
