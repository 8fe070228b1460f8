/** One row of seed content; omitted fields take the column defaults (a stage names its epoch). */
export interface SeedItem {
  slug: string;
  name: string;
  description?: string;
  position?: number;
  attributes?: Record<string, unknown>;
  epochSlug?: string;
}

/** Starting content for a fresh install: voices to tell a career in, its eras, and the moments within. */
export const TAXONOMY_SEED: { masks: SeedItem[]; epochs: SeedItem[]; stages: SeedItem[] } = {
  masks: [
    {
      slug: 'the-builder',
      name: 'The Builder',
      description: 'Tells the story through things made: what was shipped, how it held up, what it taught.',
      attributes: { voice: 'first person, concrete verbs', tone: 'steady', color: '#c2703d' },
    },
    {
      slug: 'the-apprentice',
      name: 'The Apprentice',
      description: 'Curious and candid about what was not yet known; every chapter is a lesson learned.',
      attributes: { voice: 'first person, questions welcome', tone: 'earnest', color: '#5b8c5a' },
    },
    {
      slug: 'the-cartographer',
      name: 'The Cartographer',
      description: 'Maps the terrain before walking it: systems, organisations and the paths between them.',
      attributes: { voice: 'measured, spatial metaphors', tone: 'calm', color: '#3d6fa8' },
    },
    {
      slug: 'the-mentor',
      name: 'The Mentor',
      description: 'Looks back to hand something forward; the story is told for the reader who comes next.',
      attributes: { voice: 'second person, generous', tone: 'warm', color: '#8a5a9e' },
    },
    {
      slug: 'the-skeptic',
      name: 'The Skeptic',
      description: 'Questions the received wisdom and shows the evidence that changed a mind.',
      attributes: { voice: 'dry, precise', tone: 'wry', color: '#6b6b6b' },
    },
    {
      slug: 'the-gardener',
      name: 'The Gardener',
      description: 'Grows teams and codebases patiently, and counts the seasons rather than the sprints.',
      attributes: { voice: 'unhurried, organic imagery', tone: 'patient', color: '#7a9a3a' },
    },
    {
      slug: 'the-translator',
      name: 'The Translator',
      description:
        'Works between worlds: engineering and design, customers and code, one field and the next.',
      attributes: { voice: 'bilingual, bridging', tone: 'diplomatic', color: '#c79a2e' },
    },
    {
      slug: 'the-firefighter',
      name: 'The Firefighter',
      description: 'Told from the incident channel: pressure, triage, and the quiet fixes that came after.',
      attributes: { voice: 'short sentences, present tense', tone: 'urgent', color: '#b8433a' },
    },
  ],
  epochs: [
    {
      slug: 'foundations',
      name: 'Foundations',
      description:
        'Before the title: the first questions, the first tools, the first person who said "try this".',
      attributes: { typicalYears: '0-2' },
    },
    {
      slug: 'apprenticeship',
      name: 'Apprenticeship',
      description: 'Learning the craft inside a real team, with real users and real consequences.',
      attributes: { typicalYears: '1-4' },
    },
    {
      slug: 'mastery',
      name: 'Mastery',
      description: 'Owning hard problems end to end, and becoming the person others come to.',
      attributes: { typicalYears: '4-8' },
    },
    {
      slug: 'stewardship',
      name: 'Stewardship',
      description: "The work becomes other people's work: direction, hiring, and the long view.",
      attributes: { typicalYears: '7+' },
    },
    {
      slug: 'reinvention',
      name: 'Reinvention',
      description: 'A deliberate turn: a new field, a new scale, or a return to the craft with fresh eyes.',
      attributes: { typicalYears: 'any' },
    },
  ],
  stages: [
    {
      slug: 'first-questions',
      name: 'First Questions',
      epochSlug: 'foundations',
      description: 'The spark: a broken game, a curious parent, a library book.',
    },
    {
      slug: 'late-night-tinkering',
      name: 'Late-Night Tinkering',
      epochSlug: 'foundations',
      description: 'Projects nobody asked for, finished anyway.',
    },
    {
      slug: 'first-mentor',
      name: 'First Mentor',
      epochSlug: 'foundations',
      description: 'Someone who took the time, and what they said.',
    },
    {
      slug: 'first-real-job',
      name: 'First Real Job',
      epochSlug: 'apprenticeship',
      description: 'The badge, the codebase, the gap between school and production.',
    },
    {
      slug: 'first-incident',
      name: 'First Incident',
      epochSlug: 'apprenticeship',
      description: 'The page at 2 a.m. and the postmortem that followed.',
    },
    {
      slug: 'finding-a-niche',
      name: 'Finding a Niche',
      epochSlug: 'apprenticeship',
      description: 'The corner of the work that started to feel like home.',
    },
    {
      slug: 'owning-a-system',
      name: 'Owning a System',
      epochSlug: 'mastery',
      description: 'When the pager and the roadmap both have your name on them.',
    },
    {
      slug: 'launch-at-scale',
      name: 'Launch at Scale',
      epochSlug: 'mastery',
      description: 'A release millions of people noticed, or would have, had it failed.',
    },
    {
      slug: 'the-hard-rewrite',
      name: 'The Hard Rewrite',
      epochSlug: 'mastery',
      description: 'Replacing the engine while the plane was flying.',
    },
    {
      slug: 'first-reports',
      name: 'First Reports',
      epochSlug: 'stewardship',
      description: 'One-on-ones, feedback, and learning that people are not systems.',
    },
    {
      slug: 'setting-direction',
      name: 'Setting Direction',
      epochSlug: 'stewardship',
      description: 'Choosing what not to build, and explaining why.',
    },
    {
      slug: 'letting-go-of-the-code',
      name: 'Letting Go of the Code',
      epochSlug: 'stewardship',
      description: 'Measuring a good week by what others shipped.',
    },
    {
      slug: 'the-pause',
      name: 'The Pause',
      epochSlug: 'reinvention',
      description: 'A sabbatical, a layoff, or a long walk that changed the plan.',
    },
    {
      slug: 'changing-fields',
      name: 'Changing Fields',
      epochSlug: 'reinvention',
      description: 'Carrying old skills into a new domain, and being a beginner again.',
    },
    {
      slug: 'teaching-forward',
      name: 'Teaching Forward',
      epochSlug: 'reinvention',
      description: 'Writing, teaching, or mentoring: turning a career into a map for others.',
    },
  ],
};
