import { ZodError } from 'zod';
import type { NarrativeInput } from './narrative.dto.js';
import { writeNarrative } from './write-narrative.js';

const builder = {
  slug: 'the-builder',
  name: 'The Builder',
  description: 'Tells the story through things made.',
};
const mastery = {
  slug: 'mastery',
  name: 'Mastery',
  description: 'Owning hard problems end to end, and becoming the person others come to.',
};

// Given out of order on purpose: the narrative must tell it oldest first.
const subject: NarrativeInput['subject'] = {
  name: 'Ada Okafor',
  headline: 'Platform engineer who likes boring deployments',
  experiences: [
    {
      title: 'Staff Engineer',
      organization: 'Orbital Freight',
      start: '2021-04',
      highlights: [
        'Led the move from VMs to Kubernetes',
        'Mentored six engineers',
        'On-call load halved in a year',
      ],
    },
    {
      title: 'Junior Developer',
      organization: 'Kestrel Labs',
      start: '2014-09',
      end: '2017-02',
      highlights: ['Built the first billing system.'],
    },
    {
      title: 'Engineer',
      organization: 'Harbor Bank',
      start: '2017-03',
      end: '2021-03',
      highlights: ['Cut payment latency by 60%', 'co-wrote the incident playbook'],
    },
  ],
};

function paragraphs(text: string): string[] {
  return text.split('\n\n');
}

describe('writeNarrative', () => {
  it('returns the same text byte for byte for the same input', async () => {
    const input: NarrativeInput = { subject, maskSlug: 'the-builder', epochSlug: 'mastery', tone: 'bold' };
    const first = await writeNarrative(input, { mask: builder, epoch: mastery });
    const reordered = await writeNarrative(
      { tone: 'bold', epochSlug: 'mastery', maskSlug: 'the-builder', subject: structuredClone(subject) },
      { epoch: { ...mastery }, mask: { ...builder } },
    );
    expect(first.generator).toBe('template');
    expect(Buffer.from(reordered.text).equals(Buffer.from(first.text))).toBe(true);
  });

  it('names the subject, every organization and the highlights, oldest role first', async () => {
    const { text } = await writeNarrative({ subject, length: 'long' });
    expect(text).toContain('Ada Okafor');
    const positions = ['Kestrel Labs', 'Harbor Bank', 'Orbital Freight'].map((org) => text.indexOf(org));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(text).toContain('Ada built the first billing system.');
    expect(text).toContain('Ada also co-wrote the incident playbook.');
    expect(text).toContain('on-call load halved in a year');
    expect(text).toContain('September 2014');
    expect(text).toContain('an Engineer');
  });

  it('speaks in the voice of a known mask and names the epoch', async () => {
    const { text } = await writeNarrative(
      { subject, maskSlug: 'the-builder', epochSlug: 'mastery' },
      { mask: builder, epoch: mastery },
    );
    expect(paragraphs(text)[0]).toMatch(/^Ada Okafor measures a career in things made/);
    expect(text).toContain('Hands on the work, Ada built the first billing system.');
    expect(text).toContain('The chapter told here is Mastery. Owning hard problems end to end');
    expect(text).toMatch(/the next thing worth building is already on the bench\.$/);
  });

  it('builds a voice from the name and description of a mask it has no phrasing for', async () => {
    const poet = { slug: 'the-poet', name: 'The Poet', description: 'Hears rhythm in release cycles' };
    const { text } = await writeNarrative({ subject, maskSlug: 'the-poet' }, { mask: poet });
    expect(paragraphs(text)[0]).toContain(
      "Ada Okafor's career, told as The Poet would tell it. Hears rhythm in release cycles.",
    );
  });

  it('changes wording with the tone', async () => {
    const warm = (await writeNarrative({ subject, tone: 'warm' })).text;
    const formal = (await writeNarrative({ subject, tone: 'formal' })).text;
    const bold = (await writeNarrative({ subject, tone: 'bold' })).text;
    expect(new Set([warm, formal, bold]).size).toBe(3);
    expect(formal).toContain(
      'From March 2017 to March 2021, Okafor held the position of Engineer at Harbor Bank.',
    );
    expect(bold).toContain('April 2021 to today: Staff Engineer at Orbital Freight.');
    expect(warm).toContain('In April 2021, Ada joined Orbital Freight as a Staff Engineer.');
  });

  it('grows with the length: short is two paragraphs, medium one per role, long adds a summary', async () => {
    const short = (await writeNarrative({ subject, length: 'short' })).text;
    const medium = (await writeNarrative({ subject, length: 'medium' })).text;
    const long = (await writeNarrative({ subject, length: 'long' })).text;
    expect(paragraphs(short)).toHaveLength(2);
    expect(paragraphs(medium)).toHaveLength(subject.experiences.length + 2);
    expect(short.length).toBeLessThan(medium.length);
    expect(medium.length).toBeLessThan(long.length);
    expect(short).not.toContain('Mentored');
    expect(medium).toContain('Ada also mentored six engineers.');
    expect(long).toContain(
      'Since 2014, Ada has worked through three roles at three organisations: Kestrel Labs, Harbor Bank and Orbital Freight.',
    );
  });

  it('flattens line breaks and runs of spaces from the input', async () => {
    const { text } = await writeNarrative({
      subject: {
        name: ' Sam \n Lee ',
        experiences: [{ title: 'Data\r\nAnalyst', organization: 'Acme  Co', start: '2020', highlights: [] }],
      },
    });
    expect(text).toContain('It begins at Acme Co, where Sam has been a Data Analyst since 2020.');
    expect(text.replace(/\n\n/g, '')).not.toMatch(/[\r\n]| {2}/);
  });

  it('reports progress in rising steps up to 100', async () => {
    const seen: number[] = [];
    await writeNarrative({ subject }, {}, async (pct) => {
      seen.push(pct);
    });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen[seen.length - 1]).toBe(100);
  });

  it('refuses a requested mask the caller did not resolve', async () => {
    await expect(writeNarrative({ subject, maskSlug: 'the-builder' }, {})).rejects.toThrow(
      /mask "the-builder"/,
    );
  });

  it.each([
    ['no experiences', { ...subject, experiences: [] }],
    ['31 experiences', { ...subject, experiences: Array.from({ length: 31 }, () => subject.experiences[1]) }],
    ['a malformed date', { ...subject, experiences: [{ ...subject.experiences[1], start: '03/2014' }] }],
    ['an end before the start', { ...subject, experiences: [{ ...subject.experiences[1], end: '2013-01' }] }],
    ['an empty name', { ...subject, name: '  ' }],
  ])('rejects %s', async (_, invalid) => {
    await expect(writeNarrative({ subject: invalid })).rejects.toThrow(ZodError);
  });
});
