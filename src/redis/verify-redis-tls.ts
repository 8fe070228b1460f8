import { isIP } from 'node:net';
import { connect } from 'node:tls';
import type { RedisNode, RedisTopology } from '../config/redis-topology.js';

/** The server's certificate cannot be trusted with the configured CAs: retrying cannot fix that. */
export class RedisTlsError extends Error {
  constructor(variable: string, display: string, reason: string) {
    super(
      `${variable} (${display}): the server's TLS certificate cannot be verified (${reason}). ` +
        'Set REDIS_TLS_CA_FILE to the PEM file of the CA that signed it (or REDIS_TLS_SERVERNAME to the ' +
        'name it was issued for).',
    );
    this.name = 'RedisTlsError';
  }
}

/** Node's codes for a certificate that did not verify, as opposed to a server that is not there. */
const CERTIFICATE_ERROR =
  /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME_MISMATCH/;

/**
 * Opens one TLS handshake to the first node of a `rediss…` topology that answers (its sentinels, for
 * Sentinel), with the very TLS options the clients use, and throws `RedisTlsError` if its certificate is
 * not trusted: the service then refuses to start with a message saying what to set, instead of retrying
 * forever. Nodes that do not answer are not an error here (Redis may start after the service).
 */
export async function verifyRedisTls(
  variable: string,
  topology: RedisTopology,
  timeoutMs: number,
): Promise<void> {
  if (!topology.tls) return;
  const nodes =
    topology.kind === 'standalone'
      ? [topology.node]
      : topology.kind === 'sentinel'
        ? topology.sentinels
        : topology.nodes;
  for (const node of nodes) {
    const outcome = await handshake(node, topology.tls, timeoutMs);
    if (outcome === 'trusted') return;
    if (outcome !== 'unreachable') throw new RedisTlsError(variable, topology.display, outcome);
  }
}

function handshake(
  node: RedisNode,
  tls: NonNullable<RedisTopology['tls']>,
  timeoutMs: number,
): Promise<'trusted' | 'unreachable' | string> {
  return new Promise((done) => {
    const servername = tls.servername ?? (isIP(node.host) ? undefined : node.host);
    const socket = connect({ host: node.host, port: node.port, ca: tls.ca, servername, timeout: timeoutMs });
    const finish = (outcome: string) => {
      socket.destroy();
      done(outcome);
    };
    socket.once('secureConnect', () => finish('trusted'));
    socket.once('timeout', () => finish('unreachable'));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      finish(CERTIFICATE_ERROR.test(err.code ?? '') ? `${err.code}: ${err.message}` : 'unreachable'),
    );
  });
}
