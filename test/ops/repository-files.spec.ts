import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { EXAMPLE_API_KEYS } from '../../src/config/auth.config.js';
import { loadConfig, SECTIONS } from '../../src/config/load-config.js';

// No Docker engine (nor the compose plugin) runs here, so the compose file is checked by parsing it.
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true });
  const command = (service: string) => (compose.services[service].command as string[]).join(' ');

  const inProfile = (profile?: string) =>
    Object.keys(compose.services)
      .filter((name) => (compose.services[name].profiles ?? [undefined]).includes(profile))
      .sort();

  it('declares the services', () => {
    expect(inProfile(undefined)).toEqual(['api', 'postgres', 'redis-cache', 'redis-queue', 'worker']);
  });

  it('profile cluster: six cluster nodes, a one-shot create, and api and worker on redis+cluster://', () => {
    const nodes = ['1', '2', '3', '4', '5', '6'].map((n) => `redis-cluster-${n}`);
    expect(inProfile('cluster')).toEqual(
      [...nodes, 'redis-cluster-create', 'api-cluster', 'worker-cluster'].sort(),
    );
    for (const node of nodes) {
      expect(command(node)).toMatch(/--cluster-enabled yes .*--maxmemory-policy noeviction/);
      expect(compose.services[node].volumes).toHaveLength(1);
    }
    expect(new Set(nodes.map((n) => compose.services[n].volumes[0])).size).toBe(6);
    expect(command('redis-cluster-create')).toMatch(/--cluster create .*--cluster-replicas 1 --cluster-yes/);
    for (const [service, role] of [
      ['api-cluster', 'api'],
      ['worker-cluster', 'worker'],
    ]) {
      const s = compose.services[service];
      expect(s.environment.APP_ROLE).toBe(role);
      expect(s.environment.REDIS_URL).toMatch(/^redis\+cluster:\/\/redis-cluster-1:6379,/);
      expect(s.environment.QUEUE_REDIS_URL).toBe(s.environment.REDIS_URL);
      expect(s.depends_on['redis-cluster-create'].condition).toBe('service_completed_successfully');
      expect(Object.keys(s.depends_on)).not.toContain('redis-queue');
    }
  });

  it('profile sentinel: master, replica, three sentinels, and api and worker on redis+sentinel://', () => {
    const nodes = ['redis-sentinel-master', 'redis-sentinel-replica'];
    const sentinels = ['sentinel-1', 'sentinel-2', 'sentinel-3'];
    expect(inProfile('sentinel')).toEqual([...nodes, ...sentinels, 'api-sentinel', 'worker-sentinel'].sort());
    for (const node of nodes)
      expect(command(node)).toMatch(/--appendonly yes .*--maxmemory-policy noeviction/);
    expect(command('redis-sentinel-replica')).toMatch(/--replicaof redis-sentinel-master 6379/);
    for (const sentinel of sentinels) {
      expect(command(sentinel)).toMatch(/sentinel monitor strata redis-sentinel-master 6379 2/);
      expect(compose.services[sentinel].environment.SENTINEL_NAME).toBe(sentinel);
    }
    for (const [service, role] of [
      ['api-sentinel', 'api'],
      ['worker-sentinel', 'worker'],
    ]) {
      const s = compose.services[service];
      expect(s.environment.APP_ROLE).toBe(role);
      expect(s.environment.QUEUE_REDIS_URL).toBe(s.environment.REDIS_URL);
      for (const sentinel of sentinels) expect(s.depends_on[sentinel].condition).toBe('service_healthy');
      // What the service would make of its environment: three sentinels and the master's name.
      const { redis, queue } = loadConfig({ ...s.environment, NODE_ENV: 'development', API_KEYS: '' });
      expect(redis.queue).toMatchObject({ kind: 'sentinel', masterName: 'strata' });
      expect(redis.queue.kind === 'sentinel' && redis.queue.sentinels).toHaveLength(3);
      if (role === 'api') expect(queue.minReplicasAck).toBe(1);
    }
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
