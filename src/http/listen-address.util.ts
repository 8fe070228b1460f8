import type { AddressInfo } from 'node:net';

const WILDCARDS: Record<string, string> = { '0.0.0.0': 'every IPv4 interface', '::': 'every interface' };

/**
 * The address a listener really bound, from `server.address()`, for the start log: a wildcard bind is
 * named as such (with the URL to try from this machine), never guessed as "localhost" or "[::1]".
 */
export function describeListenAddress(address: AddressInfo | string | null): string {
  if (address === null) return 'nothing (the server is not listening)';
  if (typeof address === 'string') return address; // a Unix socket or a Windows pipe
  const { address: host, port } = address;
  const url = (name: string) => `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
  const wildcard = WILDCARDS[host];
  if (wildcard) return `${url(host)} (${wildcard}; from this machine: ${url('127.0.0.1')})`;
  return url(host);
}
