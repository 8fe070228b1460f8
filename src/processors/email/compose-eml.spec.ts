import { simpleParser } from 'mailparser';
import { ZodError } from 'zod';
import { composeEml } from './compose-eml.js';
import type { EmailMessageInput } from './email-message.dto.js';

const pdfBytes = Buffer.from('%PDF-1.3\n%\xff\xfe binary \x00\x01 payload', 'latin1');

const message: EmailMessageInput = {
  from: 'Strata Reports <reports@strata.example>',
  to: ['ada@example.com', 'Grace Hopper <grace@example.org>'],
  subject: 'Your report from Zürich — ready ✓',
  text: 'Hello,\nyour report is attached.\n',
  html: '<p>Hello,<br>your report is <b>attached</b>.</p>',
  attachments: [{ filename: 'report.pdf', content: pdfBytes, contentType: 'application/pdf' }],
  messageId: '<report-42@strata.example>',
};

describe('composeEml', () => {
  it('builds a message that parses back with recipients, subject, bodies and the attachment', async () => {
    const { eml, messageId } = await composeEml(message, { date: new Date('2025-06-01T10:00:00Z') });
    const parsed = await simpleParser(eml);
    const to = Array.isArray(parsed.to) ? parsed.to : [parsed.to!];

    expect(messageId).toBe('<report-42@strata.example>');
    expect(parsed.messageId).toBe('<report-42@strata.example>');
    expect(parsed.from?.value).toEqual([{ address: 'reports@strata.example', name: 'Strata Reports' }]);
    expect(to.flatMap((t) => t.value.map((v) => v.address))).toEqual([
      'ada@example.com',
      'grace@example.org',
    ]);
    expect(parsed.subject).toBe('Your report from Zürich — ready ✓');
    expect(parsed.text).toBe('Hello,\nyour report is attached.\n');
    expect(parsed.html).toContain('<b>attached</b>');
    expect(parsed.date?.toISOString()).toBe('2025-06-01T10:00:00.000Z');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0].filename).toBe('report.pdf');
    expect(parsed.attachments[0].contentType).toBe('application/pdf');
    expect(parsed.attachments[0].content.equals(pdfBytes)).toBe(true);
  });

  it('ends every line with CRLF, as RFC 5322 requires', async () => {
    const { eml } = await composeEml(message);
    const text = eml.toString('latin1');
    expect(text).toContain('\r\n');
    expect(text).not.toMatch(/[^\r]\n/);
  });

  it('generates a Message-ID on the sender domain when none is given, and adds missing brackets', async () => {
    const generated = await composeEml({ ...message, messageId: undefined });
    expect(generated.messageId).toMatch(/^<[0-9a-f-]{36}@strata\.example>$/);
    expect((await simpleParser(generated.eml)).messageId).toBe(generated.messageId);
    expect((await composeEml({ ...message, messageId: 'bare@strata.example' })).messageId).toBe(
      '<bare@strata.example>',
    );
  });

  it('sends a text-only message without attachments', async () => {
    const { eml } = await composeEml({
      from: 'a@example.com',
      to: ['b@example.com'],
      subject: 'Hi',
      text: 'Body',
    });
    const parsed = await simpleParser(eml);
    expect(parsed.text?.trim()).toBe('Body');
    expect(parsed.attachments).toHaveLength(0);
  });

  it.each([
    ['a CR in the subject', { subject: 'Hi\rBcc: x@evil.example' }],
    ['a LF in the subject', { subject: 'Hi\nBcc: x@evil.example' }],
    ['U+2028 in the subject', { subject: 'Hi\u2028there' }],
    ['U+2029 in the subject', { subject: 'Hi\u2029there' }],
    ['U+0085 in the subject', { subject: 'Hi\u0085there' }],
    ['a vertical tab in the subject', { subject: 'Hi\vthere' }],
    ['a form feed in the subject', { subject: 'Hi\fthere' }],
    ['a 201-character subject', { subject: 'x'.repeat(201) }],
    ['a header injected through from', { from: 'a@example.com\r\nBcc: x@evil.example' }],
    ['no recipients', { to: [] }],
    ['51 recipients', { to: Array.from({ length: 51 }, (_, i) => `user${i}@example.com`) }],
    ['two addresses in one recipient', { to: ['a@example.com, b@example.com'] }],
    ['a malformed address', { to: ['not-an-address'] }],
    [
      'a line break in an attachment name',
      { attachments: [{ ...message.attachments![0], filename: 'a\n.pdf' }] },
    ],
    ['a malformed content type', { attachments: [{ ...message.attachments![0], contentType: 'pdf' }] }],
    ['a malformed Message-ID', { messageId: '<no at sign>' }],
  ])('rejects %s', async (_, override) => {
    await expect(composeEml({ ...message, ...override } as EmailMessageInput)).rejects.toThrow(ZodError);
  });
});
