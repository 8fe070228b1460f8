import type { ProgressReporter } from '../shared/progress-reporter.js';
import {
  type NarrativeInput,
  type NarrativeLength,
  type NarrativeTone,
  narrativeInputSchema,
} from './narrative.dto.js';
import {
  asSentence,
  collapseWhitespace,
  formatPartialDate,
  joinList,
  lowerFirst,
  pickStable,
  upperFirst,
  withArticle,
} from './narrative-text.util.js';
import { type NarrativeVoice, type VoiceMask, voiceFor } from './narrative-voices.data.js';

/** Mask and epoch as the caller resolved them from the taxonomy. */
export interface NarrativeTaxonomy {
  mask?: VoiceMask;
  epoch?: VoiceMask;
}

export interface NarrativeResult {
  text: string;
  generator: 'template';
}

interface Experience {
  title: string;
  organization: string;
  start: string;
  end?: string;
  highlights: string[];
}

interface Context {
  name: string;
  /** The subject after the first mention: the surname when formal, the first name otherwise. */
  ref: string;
  tone: NarrativeTone;
  voice: NarrativeVoice;
}

const HIGHLIGHTS_PER_ROLE: Record<NarrativeLength, number> = { short: 1, medium: 2, long: Infinity };
const IRREGULAR_PAST = new Set(
  (
    'became began brought built chose cut did drove found gave got grew held kept led made met oversaw ' +
    'put ran rebuilt rewrote saw sent set shut sold spent split spoke spun stood took taught undertook ' +
    'won wrote'
  ).split(' '),
);
const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

function count(n: number, noun: string): string {
  return `${NUMBER_WORDS[n] ?? n} ${noun}${n === 1 ? '' : 's'}`;
}

/** A highlight like "Led the migration" can follow the subject's name; "Kubernetes migration" cannot. */
function startsWithPastVerb(highlight: string): boolean {
  const word = highlight.split(/\s/, 1)[0].toLowerCase().replace(/^co-/, '');
  return IRREGULAR_PAST.has(word) || (/^[a-z]{3,}ed$/.test(word) && !word.endsWith('eed'));
}

/** Oldest first; on the same start an ended role before an ongoing one; otherwise as given. */
function chronological(experiences: Experience[]): Experience[] {
  return experiences
    .map((experience, index) => ({ experience, index }))
    .sort(
      (a, b) =>
        compare(a.experience.start, b.experience.start) ||
        compare(a.experience.end ?? '9999', b.experience.end ?? '9999') ||
        a.index - b.index,
    )
    .map(({ experience }) => experience);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function roleSentence(experience: Experience, isFirst: boolean, ctx: Context): string {
  const { ref, tone } = ctx;
  const org = experience.organization;
  const title = experience.title;
  const start = formatPartialDate(experience.start);
  const end = experience.end ? formatPartialDate(experience.end) : undefined;
  const key = `${ctx.name}|${org}|${experience.start}`;

  if (tone === 'bold') return `${start} to ${end ?? 'today'}: ${title} at ${org}.`;
  if (tone === 'formal') {
    if (isFirst) {
      return end
        ? `The career of ${ctx.name} began at ${org}, in the position of ${title}, from ${start} to ${end}.`
        : `The career of ${ctx.name} began at ${org}, in the position of ${title}, held since ${start}.`;
    }
    return end
      ? `From ${start} to ${end}, ${ref} held the position of ${title} at ${org}.`
      : `Since ${start}, ${ref} has held the position of ${title} at ${org}.`;
  }
  const role = withArticle(title);
  if (isFirst) {
    return end
      ? pickStable(
          [
            `${ref}'s story starts at ${org} in ${start}, as ${role}, a role that lasted until ${end}.`,
            `It began at ${org} in ${start}, where ${ref} worked as ${role} until ${end}.`,
          ],
          key,
        )
      : `It begins at ${org}, where ${ref} has been ${role} since ${start}.`;
  }
  return end
    ? pickStable(
        [
          `In ${start}, ${ref} joined ${org} as ${role}, staying until ${end}.`,
          `Next came ${org}, where ${ref} worked as ${role} from ${start} to ${end}.`,
        ],
        key,
      )
    : pickStable(
        [
          `Since ${start}, ${ref} has been ${role} at ${org}.`,
          `In ${start}, ${ref} joined ${org} as ${role}.`,
        ],
        key,
      );
}

function highlightSentences(
  experience: Experience,
  roleIndex: number,
  length: NarrativeLength,
  ctx: Context,
): string[] {
  const chosen = experience.highlights.slice(0, HIGHLIGHTS_PER_ROLE[length]).map(collapseWhitespace);
  const actions = chosen.filter(startsWithPastVerb);
  const others = chosen.filter((highlight) => !startsWithPastVerb(highlight));
  const sentences = actions.map((highlight, i) => {
    const clause = asSentence(lowerFirst(highlight));
    if (i > 0) return ctx.tone === 'bold' ? `${ctx.ref} ${clause}` : `${ctx.ref} also ${clause}`;
    // Rotating keeps a long narrative from opening every role's highlight the same way.
    const lead = ctx.voice.actionLeads[roleIndex % ctx.voice.actionLeads.length];
    return `${lead} ${ctx.ref} ${clause}`;
  });
  if (others.length > 0) {
    const items = others.map((highlight) => lowerFirst(highlight).replace(/[\s.;,:]+$/, ''));
    sentences.push(asSentence(`${ctx.voice.listLead}: ${items.join('; ')}`));
  }
  return sentences;
}

function openingParagraph(
  input: { headline?: string },
  taxonomy: NarrativeTaxonomy,
  length: NarrativeLength,
  ctx: Context,
): string {
  const parts = [ctx.voice.opening(ctx.name)];
  if (input.headline) parts.push(`In a line: ${asSentence(input.headline)}`);
  const epoch = taxonomy.epoch;
  if (epoch) {
    parts.push(`The chapter told here is ${collapseWhitespace(epoch.name)}.`);
    if (length !== 'short' && epoch.description.trim()) parts.push(asSentence(epoch.description));
  }
  return parts.join(' ');
}

function reflection(experiences: Experience[], ctx: Context): string {
  const organizations = [...new Set(experiences.map((e) => e.organization))];
  const since = experiences[0].start.slice(0, 4);
  const roles = count(experiences.length, 'role');
  const places = count(organizations.length, 'organisation');
  if (ctx.tone === 'bold') return `${upperFirst(roles)}. ${upperFirst(places)}. Since ${since}.`;
  const verb = ctx.tone === 'formal' ? 'has served in' : 'has worked through';
  return `Since ${since}, ${ctx.ref} ${verb} ${roles} at ${places}: ${joinList(organizations)}.`;
}

function assertResolved(kind: 'mask' | 'epoch', requested: string | undefined, resolved?: VoiceMask): void {
  if (requested !== undefined && resolved?.slug !== requested) {
    throw new Error(
      `${kind} "${requested}" was requested but the taxonomy resolved ${resolved?.slug ?? 'none'}`,
    );
  }
}

/**
 * Writes a short career narrative from templates. Everything, wording variants included, follows from the
 * input alone (no clock, no randomness), so the same input yields the same text byte for byte.
 */
export async function writeNarrative(
  input: NarrativeInput,
  taxonomy: NarrativeTaxonomy = {},
  progress?: ProgressReporter,
): Promise<NarrativeResult> {
  const { subject, maskSlug, epochSlug, tone, length } = narrativeInputSchema.parse(input);
  assertResolved('mask', maskSlug, taxonomy.mask);
  assertResolved('epoch', epochSlug, taxonomy.epoch);
  await progress?.(10);

  const name = collapseWhitespace(subject.name);
  const words = name.split(' ');
  const ref = tone === 'formal' ? words[words.length - 1] : words[0];
  const ctx: Context = { name, ref, tone, voice: voiceFor(taxonomy.mask) };
  const experiences = chronological(
    subject.experiences.map((e) => ({
      ...e,
      title: collapseWhitespace(e.title),
      organization: collapseWhitespace(e.organization),
    })),
  );

  const roleParagraphs: string[] = [];
  for (const [i, experience] of experiences.entries()) {
    roleParagraphs.push(
      [roleSentence(experience, i === 0, ctx), ...highlightSentences(experience, i, length, ctx)].join(' '),
    );
    await progress?.(10 + Math.round((80 * (i + 1)) / experiences.length));
  }

  const opening = openingParagraph(subject, taxonomy, length, ctx);
  const closing = ctx.voice.closing(ctx.ref);
  const paragraphs =
    length === 'short'
      ? [opening, [...roleParagraphs, closing].join(' ')]
      : length === 'medium'
        ? [opening, ...roleParagraphs, closing]
        : [opening, ...roleParagraphs, `${reflection(experiences, ctx)} ${closing}`];

  await progress?.(100);
  return { text: paragraphs.join('\n\n'), generator: 'template' };
}
