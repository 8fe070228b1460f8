import { asSentence } from './narrative-text.util.js';

/** The phrases that make a narrative sound like one mask rather than another. */
export interface NarrativeVoice {
  opening: (name: string) => string;
  /** Lead into a highlight that starts with a past-tense verb (`${lead} Ada led the migration.`), used in turn. */
  actionLeads: readonly string[];
  /** Introduces highlights that are not verb phrases, as a list after a colon. */
  listLead: string;
  closing: (ref: string) => string;
}

export interface VoiceMask {
  slug: string;
  name: string;
  description: string;
}

// Keyed by the slugs of the seeded masks; any other mask falls back to a voice built from its description.
const VOICES: Readonly<Record<string, NarrativeVoice>> = {
  'the-builder': {
    opening: (name) =>
      `${name} measures a career in things made: what shipped, how it held up, and what it taught.`,
    actionLeads: ['Hands on the work,', 'There,'],
    listLead: 'What got built there',
    closing: (ref) => `For ${ref}, the next thing worth building is already on the bench.`,
  },
  'the-apprentice': {
    opening: (name) => `${name}'s story is a run of lessons, each learned in public and each one kept.`,
    actionLeads: ['Learning as the work demanded,', 'There,'],
    listLead: 'Lessons from that time',
    closing: (ref) => `There is still plenty left for ${ref} to learn, and that is the point.`,
  },
  'the-cartographer': {
    opening: (name) =>
      `${name} maps the ground before walking it: the systems, the organisations and the paths between them.`,
    actionLeads: ['Once the terrain was mapped,', 'There,'],
    listLead: 'Landmarks along that stretch',
    closing: (ref) => `The map ${ref} keeps is still growing, and so is the territory.`,
  },
  'the-mentor': {
    opening: (name) => `This is ${name}'s story, told for whoever comes next.`,
    actionLeads: ['Along the way,', 'There,'],
    listLead: 'Worth passing on from that time',
    closing: (ref) =>
      `If there is one thing to take from ${ref}'s path: the work gets better when it is shared.`,
  },
  'the-skeptic': {
    opening: (name) =>
      `${name} has never taken the received wisdom on trust; this is a career shaped by evidence.`,
    actionLeads: ['After checking the numbers,', 'There,'],
    listLead: 'The evidence from that time',
    closing: (ref) => `Every assumption ${ref} holds stays open to a better argument.`,
  },
  'the-gardener': {
    opening: (name) => `${name} grows teams and codebases patiently, counting seasons rather than sprints.`,
    actionLeads: ['Season by season,', 'There,'],
    listLead: 'What took root there',
    closing: (ref) => `The best of what ${ref} has planted is still growing.`,
  },
  'the-translator': {
    opening: (name) =>
      `${name} works between worlds: engineering and design, customers and code, one field and the next.`,
    actionLeads: ['Bridging teams,', 'There,'],
    listLead: 'What needed translating there',
    closing: (ref) => `The most useful work ${ref} does still happens in the space between disciplines.`,
  },
  'the-firefighter': {
    opening: (name) =>
      `${name}'s story is told from the incident channel: pressure, triage, and the quiet fixes that came after.`,
    actionLeads: ['When things broke,', 'There,'],
    listLead: 'From the incident log',
    closing: (ref) => `The pager is quieter now. For ${ref}, that was always the goal.`,
  },
};

const PLAIN_VOICE: NarrativeVoice = {
  opening: (name) => `${name}'s career is a story best told one role at a time.`,
  actionLeads: ['There,', 'In that role,'],
  listLead: 'Highlights from that time',
  closing: (ref) => `The next chapter of ${ref}'s story is still being written.`,
};

/** The voice for a mask: its own phrasing when it is a known one, its name and description otherwise. */
export function voiceFor(mask?: VoiceMask): NarrativeVoice {
  if (!mask) return PLAIN_VOICE;
  const known = VOICES[mask.slug];
  if (known) return known;
  return {
    ...PLAIN_VOICE,
    opening: (name) =>
      mask.description.trim()
        ? `${name}'s career, told as ${mask.name} would tell it. ${asSentence(mask.description)}`
        : `${name}'s career, told as ${mask.name} would tell it.`,
  };
}
