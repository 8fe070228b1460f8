import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { eventually } from '../support/eventually.js';
import { bearer, TEST_KEYS } from '../support/test-env.js';
import { NARRATIVE_INPUT, type Key } from '../tasks/task-test-kit.js';

export type Step = { id: string; type: string; input?: object; bind?: Record<string, string> };

/** HTTP helpers for /v1/pipelines over one running app. */
export class PipelineClient {
  constructor(private readonly target: NestFastifyApplication | string) {}

  get http() {
    return request(typeof this.target === 'string' ? this.target : this.target.getHttpServer());
  }

  post(body: unknown, key: Key = 'alice') {
    return this.http
      .post('/v1/pipelines')
      .set(bearer(TEST_KEYS[key]))
      .send(body as object);
  }

  async create(mode: 'production' | 'development', steps: Step[], key: Key = 'alice') {
    const res = await this.post({ mode, steps }, key);
    if (res.status !== 202) throw new Error(`POST: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  get(id: string, key: Key = 'alice') {
    return this.http.get(`/v1/pipelines/${id}`).set(bearer(TEST_KEYS[key]));
  }

  act(id: string, action: 'step' | 'run' | 'rerun', body?: object, key: Key = 'alice') {
    const req = this.http.post(`/v1/pipelines/${id}/${action}`).set(bearer(TEST_KEYS[key]));
    return body ? req.send(body) : req;
  }

  patch(id: string, stepId: string, body: object, key: Key = 'alice') {
    return this.http.patch(`/v1/pipelines/${id}/steps/${stepId}`).set(bearer(TEST_KEYS[key])).send(body);
  }

  /** Polls until the run reaches `state` (or fails the test with its last view). */
  async waitFor(id: string, state: string, timeoutMs = 20_000) {
    return eventually(
      async () => {
        const res = await this.get(id);
        if (res.body.state !== state) throw new Error(`${id}: ${JSON.stringify(res.body, null, 1)}`);
        return res.body;
      },
      timeoutMs,
      50,
    );
  }

  /** Polls until no step is waiting or active (a development step has ended). */
  async settled(id: string, timeoutMs = 20_000) {
    return eventually(
      async () => {
        const res = await this.get(id);
        if (res.body.state === 'running') throw new Error(`${id}: ${JSON.stringify(res.body, null, 1)}`);
        return res.body;
      },
      timeoutMs,
      50,
    );
  }
}

export const statesOf = (run: { steps: { id: string; state: string }[] }) =>
  Object.fromEntries(run.steps.map((s) => [s.id, s.state]));

export const stepOf = (run: { steps: { id: string }[] }, id: string) =>
  run.steps.find((s) => s.id === id) as any;

const { headline: _unused, ...subject } = NARRATIVE_INPUT.subject;

/** The example: a job search, a narrative about its top posting, a PDF of it, emailed. */
export const EXAMPLE_STEPS: Step[] = [
  { id: 'search', type: 'job-search', input: { query: 'engineer', limit: 3 } },
  {
    id: 'story',
    type: 'narrative',
    input: { subject, maskSlug: 'the-builder' },
    bind: { 'subject.headline': 'search.result/results/0/title' },
  },
  { id: 'doc', type: 'pdf', input: { title: 'Your narrative' }, bind: { fromTask: 'story.id' } },
  {
    id: 'mail',
    type: 'email',
    input: { to: ['ada@example.com'], subject: 'Your narrative', text: 'Attached.\n' },
    bind: { attachTask: 'doc.id' },
  },
];
