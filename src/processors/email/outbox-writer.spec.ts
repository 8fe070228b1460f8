import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { composeEml } from './compose-eml.js';
import { messageIdFileName, OutboxWriter } from './outbox-writer.js';

describe('OutboxWriter', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'strata-outbox-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes <dir>/<message id>.eml and answers like a transport that accepted every recipient', async () => {
    const to = ['ada@example.com', 'grace@example.org'];
    const composed = await composeEml({
      from: 'reports@strata.example',
      to,
      subject: 'Weekly digest',
      text: 'Three new postings match your search.',
      attachments: [{ filename: 'digest.csv', content: Buffer.from('title,url\n'), contentType: 'text/csv' }],
      messageId: '<digest-7@strata.example>',
    });
    const outbox = new OutboxWriter(join(root, 'outbox'));

    const delivery = await outbox.write({ ...composed, to });

    expect(delivery).toEqual({
      messageId: '<digest-7@strata.example>',
      accepted: to,
      rejected: [],
      path: join(root, 'outbox', 'digest-7@strata.example.eml'),
    });
    expect(await readdir(join(root, 'outbox'))).toEqual(['digest-7@strata.example.eml']);
    const parsed = await simpleParser(await readFile(delivery.path));
    expect(parsed.subject).toBe('Weekly digest');
    expect(parsed.text?.trim()).toBe('Three new postings match your search.');
    expect(parsed.attachments[0].filename).toBe('digest.csv');
  });

  it('keeps a hostile Message-ID inside the outbox directory', async () => {
    const outbox = new OutboxWriter(join(root, 'outbox'));
    const delivery = await outbox.write({
      eml: Buffer.from('x'),
      messageId: '<../../escape@x>',
      to: ['a@b.c'],
    });
    expect(delivery.path.startsWith(join(root, 'outbox') + '/')).toBe(true);
    expect(await readdir(root)).toEqual(['outbox']);
    expect(await readdir(join(root, 'outbox'))).toEqual([messageIdFileName('<../../escape@x>')]);
  });
});

describe('messageIdFileName', () => {
  it('uses a plain id as it is, without brackets', () => {
    expect(messageIdFileName('<abc-123@strata.example>')).toBe('abc-123@strata.example.eml');
  });

  it('replaces unsafe characters and tells apart ids that differ only in them', () => {
    const slash = messageIdFileName('<a/b@x>');
    const backslash = messageIdFileName('<a\\b@x>');
    expect(slash).toMatch(/^a_b@x-[0-9a-f]{12}\.eml$/);
    expect(backslash).toMatch(/^a_b@x-[0-9a-f]{12}\.eml$/);
    expect(slash).not.toBe(backslash);
    expect(messageIdFileName('<..@x>')).toMatch(/^_@x-[0-9a-f]{12}\.eml$/);
  });
});
