import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeListenAddress } from './listen-address.util.js';

describe('describeListenAddress', () => {
  const listening = (host: string) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject).listen(0, host, () => resolve(server));
    });

  it('names a wildcard bind as every interface, with the URL to try from this machine', async () => {
    const server = await listening('0.0.0.0');
    try {
      const { port } = server.address() as AddressInfo;
      expect(describeListenAddress(server.address())).toBe(
        `http://0.0.0.0:${port} (every IPv4 interface; from this machine: http://127.0.0.1:${port})`,
      );
    } finally {
      server.close();
    }
  });

  it('names the very address of a loopback bind, IPv6 in brackets', async () => {
    expect(describeListenAddress({ address: '127.0.0.1', family: 'IPv4', port: 3000 })).toBe(
      'http://127.0.0.1:3000',
    );
    expect(describeListenAddress({ address: '::1', family: 'IPv6', port: 3000 })).toBe('http://[::1]:3000');
    expect(describeListenAddress({ address: '::', family: 'IPv6', port: 8080 })).toBe(
      'http://[::]:8080 (every interface; from this machine: http://127.0.0.1:8080)',
    );
    expect(describeListenAddress('/run/strata.sock')).toBe('/run/strata.sock');
  });
});
