import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { TasksApiModule, TasksWorkerModule } from '../../src/tasks/tasks.module.js';
import { eventually } from '../support/eventually.js';
import { bearer, TEST_KEYS } from '../support/test-env.js';

/** Both halves, as the `all` role loads them. */
export const TASK_MODULES = [TasksApiModule, TasksWorkerModule];

export type Key = keyof typeof TEST_KEYS;

/** Small HTTP helpers over one running app. */
export class TaskClient {
  constructor(private readonly app: NestFastifyApplication) {}

  get http() {
    return request(this.app.getHttpServer());
  }

  post(type: string, body: unknown, key: Key = 'alice', headers: Record<string, string> = {}) {
    return this.http
      .post(`/v1/tasks/${type}`)
      .set(bearer(TEST_KEYS[key]))
      .set(headers)
      .send(body as object);
  }

  get(id: string, key: Key = 'alice') {
    return this.http.get(`/v1/tasks/${id}`).set(bearer(TEST_KEYS[key]));
  }

  async create(type: string, input: unknown, key: Key = 'alice', options?: object): Promise<string> {
    const res = await this.post(type, { input, ...(options ? { options } : {}) }, key);
    if (res.status !== 202) throw new Error(`POST ${type}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  /** Polls until the task reaches `state` (or fails the test with its last view). */
  async waitFor(id: string, state: string, key: Key = 'alice', timeoutMs = 15_000) {
    return eventually(
      async () => {
        const res = await this.get(id, key);
        if (res.body.state !== state) throw new Error(`${id}: ${JSON.stringify(res.body)}`);
        return res.body;
      },
      timeoutMs,
      50,
    );
  }
}

export const NARRATIVE_INPUT = {
  subject: {
    name: 'Ada Okafor',
    headline: 'Builds calm systems',
    experiences: [
      {
        title: 'Engineer',
        organization: 'Acme',
        start: '2015-01',
        end: '2019-06',
        highlights: ['Led the migration'],
      },
      { title: 'Staff Engineer', organization: 'Globex', start: '2019-07', highlights: ['Built the queue'] },
    ],
  },
  maskSlug: 'the-builder',
};
