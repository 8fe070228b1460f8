import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { EXAMPLE_API_KEYS } from '../../src/config/auth.config.js';
import { SECTIONS } from '../../src/config/load-config.js';

// No Docker engine (nor the compose plugin) runs here, so the compose file is checked by parsing it.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true });
  const command = (service: string) => (compose.services[service].command as string[]).join(' ');

  it('declares the services', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'api',
      'postgres',
      'redis-cache',
      'redis-queue',
      'worker',
    ]);
  });

  it('runs a durable, non-evicting queue Redis and an evicting cache Redis', () => {
    expect(compose.services['redis-queue'].image).toBe('redis:7-alpine');
    expect(command('redis-queue')).toMatch(
      /--appendonly yes --appendfsync everysec --maxmemory-policy noeviction/,
    );
    expect(compose.services['redis-queue'].volumes).toEqual(['redisqueue:/data']);
    expect(command('redis-cache')).toMatch(/--maxmemory 256mb --maxmemory-policy allkeys-lru --save /);
  });

  it('builds api and worker from the Dockerfile with readiness healthchecks and their roles', () => {
    for (const [service, role] of [
      ['api', 'api'],
      ['worker', 'worker'],
    ]) {
      const s = compose.services[service];
      expect(s.build).toBe('.');
      expect(s.environment.APP_ROLE).toBe(role);
      expect(s.environment.QUEUE_REDIS_URL).toBe('redis://redis-queue:6379');
      expect(s.environment.REDIS_URL).toBe('redis://redis-cache:6379');
      expect(s.healthcheck.test.join(' ')).toMatch(/\/health\/ready/);
    }
  });

  it('mounts one artifacts volume in api and worker: workers write PDFs, the API streams them', () => {
    for (const service of ['api', 'worker']) {
      expect(compose.services[service].volumes).toContain('artifacts:/app/var/artifacts');
    }
    expect(compose.services.worker.volumes).toContain('outbox:/app/var/outbox');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['artifacts', 'outbox']));
    // A new named volume takes the ownership of the image's directory: it must exist, owned by node.
    expect(readFileSync('Dockerfile', 'utf8')).toMatch(
      /mkdir -p \/app\/var\/artifacts \/app\/var\/outbox && chown -R node:node \/app\/var/,
    );
  });

  it('starts the service in the image as `npm start` does, with the same node flags', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync('Dockerfile', 'utf8'))?.[1];
    const start = JSON.parse(readFileSync('package.json', 'utf8')).scripts.start as string;
    expect(start).toMatch(/^node --/);
    expect((JSON.parse(cmd ?? '[]') as string[]).join(' ')).toBe(start);
  });

  it('runs the image as a non-root user from a multi-stage build', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});

describe('.env.example', () => {
  const text = readFileSync('.env.example', 'utf8');
  const documented = new Set([...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

  it('documents every variable the config reads', () => {
    const read = Object.values(SECTIONS).flatMap((section) => Object.keys(section.shape));
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('ships exactly the example keys that production refuses', () => {
    expect(/^API_KEYS=(.*)$/m.exec(text)?.[1]).toBe(EXAMPLE_API_KEYS);
  });
});
