import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG } from '../config/app-config.token.js';
import { sha256, type ApiKeyEntry } from '../config/auth.config.js';
import type { AppConfig } from '../config/load-config.js';
import type { Principal } from './principal.js';

const VERIFIED_MAX = 1_000;

@Injectable()
export class ApiKeyService {
  private readonly logger = new Logger(ApiKeyService.name);
  private readonly entries: ApiKeyEntry[];
  /**
   * Keys already verified, so a hot read does not hash the key on every request. Only valid keys are kept
   * (made-up keys cannot grow it) and it is bounded. A Map lookup's time depends on the string's hash,
   * not on how much of a real key the presented one matches.
   */
  private readonly verified = new Map<string, Principal>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.entries = [...config.auth.keys];
    if (config.auth.generateDevKeys) this.generateDevKeys(exampleUrl(config.server));
  }

  /**
   * Compares the key's hash with every entry, without stopping at a match, so the time taken says
   * nothing about which key (or how much of one) matched.
   */
  authenticate(presented: string | undefined): Principal | undefined {
    if (!presented) return undefined;
    const known = this.verified.get(presented);
    if (known) return known;
    const principal = this.verify(presented);
    if (principal) {
      if (this.verified.size >= VERIFIED_MAX) this.verified.clear();
      this.verified.set(presented, principal);
    }
    return principal;
  }

  private verify(presented: string): Principal | undefined {
    const digest = sha256(presented);
    let found: ApiKeyEntry | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.sha256, digest) && !found) found = entry;
    }
    return found && Object.freeze({ id: found.id, role: found.role });
  }

  private generateDevKeys(example: string): void {
    const admin = `strata_dev_admin_${randomBytes(18).toString('base64url')}`;
    const client = `strata_dev_client_${randomBytes(18).toString('base64url')}`;
    this.entries.push({ id: 'dev-admin', role: 'admin', sha256: sha256(admin) });
    this.entries.push({ id: 'dev-client', role: 'client', sha256: sha256(client) });
    // Printed once to the developer's terminal, outside the structured log stream so that no log
    // shipper keeps them; they live only as long as this process, and production refuses to start
    // without configured keys.
    this.logger.warn('API_KEYS is empty: generated development keys for this run (printed on stderr)');
    process.stderr.write(
      `\n  Development API keys (this run only):\n` +
        `    admin  (dev-admin):  ${admin}\n    client (dev-client): ${client}\n` +
        `  e.g. curl -H 'Authorization: Bearer ${client}' ${example}\n\n`,
    );
  }
}

/** A read to try the client key on, at the configured listener (PORT 0: the port is logged at start). */
function exampleUrl({ host, port }: AppConfig['server']): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port === 0 ? '<port logged at start>' : port}/v1/taxonomy`;
}
