/**
 * A client team's program, written against the types openapi-typescript generates from the served
 * document (`./strata-api.js`, generated next to it by typed-client.e2e-spec.ts) and openapi-fetch. It is
 * compiled under `strict` and run against a live service: it creates a task of each built-in type and reads
 * its typed result, reads the taxonomy with ETag and If-None-Match (304), and meets a 429 and reads its
 * Retry-After. It prints one JSON line of what it saw; any surprise exits non-zero.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './strata-api.js';

type Task = components['schemas']['Task'];

const baseUrl = process.env.STRATA_URL ?? 'http://localhost:3000';
const client = createClient<paths>({
  baseUrl,
  headers: { authorization: `Bearer ${process.env.STRATA_KEY ?? ''}` },
});

function fail(message: string): never {
  throw new Error(message);
}

/** Polls a task until it has finished; the answer is the union of every type's task. */
async function finished(id: string): Promise<Task> {
  for (let i = 0; i < 300; i++) {
    const { data, error } = await client.GET('/v1/tasks/{id}', { params: { path: { id } } });
    if (error) fail(`GET ${id}: ${error.statusCode} ${error.message}`);
    if (data.state === 'completed' || data.state === 'failed' || data.state === 'cancelled') return data;
    await new Promise((r) => setTimeout(r, 100));
  }
  return fail(`${id} did not finish`);
}

async function main() {
  const seen: Record<string, unknown> = {};

  // narrative: the result is typed by the task's type, and by its generator.
  const story = await client.POST('/v1/tasks/narrative', {
    body: {
      input: {
        subject: {
          name: 'Ada Okafor',
          experiences: [
            { title: 'Engineer', organization: 'Acme', start: '2019-07', highlights: ['Built the queue'] },
          ],
        },
        tone: 'warm',
      },
    },
  });
  if (story.error) fail(`narrative: ${story.error.message}`);
  seen.location = story.response.headers.get('location');
  const narrative = await finished(story.data.id);
  if (narrative.type !== 'narrative' || !narrative.result) return fail(`narrative: ${narrative.state}`);
  const text: string = narrative.result.text;
  seen.narrative = { generator: narrative.result.generator, words: text.split(/\s+/).length };

  // job-search
  const search = await client.POST('/v1/tasks/job-search', { body: { input: { query: 'nurse', limit: 2 } } });
  if (search.error) fail(`job-search: ${search.error.message}`);
  const jobs = await finished(search.data.id);
  if (jobs.type !== 'job-search' || !jobs.result) return fail(`job-search: ${jobs.state}`);
  const firstTitle: string | undefined = jobs.result.results[0]?.title;
  seen.jobSearch = { total: jobs.result.total, firstTitle };

  // pdf, from the narrative's text
  const render = await client.POST('/v1/tasks/pdf', {
    body: { input: { title: 'Ada', fromTask: narrative.id } },
  });
  if (render.error) fail(`pdf: ${render.error.message}`);
  const pdf = await finished(render.data.id);
  if (pdf.type !== 'pdf' || !pdf.result) return fail(`pdf: ${pdf.state} ${pdf.error ?? ''}`);
  const pages: number = pdf.result.artifact.pages;
  seen.pdf = { pages, bytes: pdf.result.artifact.bytes };

  // email, with the pdf attached
  const send = await client.POST('/v1/tasks/email', {
    body: {
      input: {
        to: ['Ada Okafor <ada@example.com>'],
        subject: 'Your CV',
        text: 'Attached.',
        attachTask: pdf.id,
      },
    },
  });
  if (send.error) fail(`email: ${send.error.message}`);
  const mail = await finished(send.data.id);
  if (mail.type !== 'email' || !mail.result) return fail(`email: ${mail.state} ${mail.error ?? ''}`);
  const accepted: string[] = mail.result.accepted;
  seen.email = { accepted };

  // The taxonomy, then the same read with its ETag: a 304 has no body, so branch on the status first
  // (openapi-fetch reports a 304 as not ok, with an empty `error`).
  const first = await client.GET('/v1/taxonomy');
  if (first.error) fail(`taxonomy: ${first.error.message}`);
  const etag = first.response.headers.get('etag') ?? fail('no ETag');
  const masks: string[] = first.data.masks.map((m) => m.slug);
  const again = await client.GET('/v1/taxonomy', { params: { header: { 'if-none-match': etag } } });
  if (again.response.status !== 304) fail(`expected 304, got ${again.response.status}`);
  const stage = await client.GET('/v1/taxonomy/stages/{slug}', {
    params: { path: { slug: first.data.stages[0]?.slug ?? fail('no stages') } },
  });
  if (stage.error) fail(`stage: ${stage.error.message}`);
  const epochOfStage: string = stage.data.epochSlug;
  seen.taxonomy = {
    version: first.data.version,
    masks: masks.length,
    notModified: again.response.status,
    epochOfStage,
  };

  // A 429: the key's job-search budget runs out; the answer says when to come back.
  for (let i = 0; i < 50; i++) {
    const { error, response } = await client.POST('/v1/tasks/job-search', {
      body: { input: { query: 'engineer', limit: 1 } },
    });
    if (!error) continue;
    if (response.status !== 429) fail(`expected 429, got ${response.status}: ${error.message}`);
    seen.rateLimited = {
      status: error.statusCode,
      retryAfter: Number(response.headers.get('retry-after')),
      remaining: Number(response.headers.get('ratelimit-remaining')),
      afterRequests: i + 1,
    };
    break;
  }
  if (!seen.rateLimited) fail('no 429 after 50 requests');
  process.stdout.write(`${JSON.stringify(seen)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
