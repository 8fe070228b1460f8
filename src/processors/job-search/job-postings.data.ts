import { foldText } from './fold-text.util.js';
import { JOB_EMPLOYERS, REMOTE_REGIONS } from './job-employers.data.js';
import type { JobPosting } from './job-posting.model.js';
import { JOB_ROLES } from './job-roles.data.js';

const POSTING_COUNT = 240;
const SEED = 0x5eed_2025;
// Dates count back from a fixed day, not from now, so the dataset and every ranking are reproducible.
const REFERENCE_DAY_MS = Date.UTC(2025, 5, 30);
const DAY_MS = 86_400_000;

const PERKS = [
  'Flexible hours and a yearly learning budget.',
  'Private health insurance and 30 days of paid leave.',
  'Four-day weeks in summer and a generous parental leave policy.',
  'Equity for every employee and a home-office allowance.',
  'A pension plan with employer matching and paid volunteering days.',
  'Free lunches, a bike scheme and regular team offsites.',
];

/** mulberry32: tiny, fast and good enough to vary a fixture; Math.random would change it every load. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Fisher-Yates; a random comparator in Array#sort would tie the result to the engine's sort algorithm. */
function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function slugify(text: string): string {
  return foldText(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function buildPostings(): JobPosting[] {
  const random = seededRandom(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

  return Array.from({ length: POSTING_COUNT }, (_, index): JobPosting => {
    // Cycling through the roles guarantees every role appears; the rest varies pseudo-randomly.
    const role = JOB_ROLES[index % JOB_ROLES.length];
    const employer = pick(JOB_EMPLOYERS.filter((e) => !role.sectors || role.sectors.includes(e.sector)));
    const level = pick(role.levels);
    const title = level ? `${level} ${role.title}` : role.title;
    const city = pick(employer.cities);

    const mode = role.remotable ? random() : 1;
    const fullyRemote = mode < 0.2;
    const remote = mode < 0.45;
    const location = fullyRemote ? pick(REMOTE_REGIONS) : city;
    const where = fullyRemote
      ? `to work fully remotely (${location.slice('Remote ('.length, -1)})`
      : remote
        ? `in ${city}, with remote work welcome`
        : `on site in ${city}`;

    const skillCount = 3 + Math.floor(random() * (role.skills.length - 2));
    const skills = shuffle(role.skills, random).slice(0, skillCount);
    const daysAgo = Math.floor(random() * 120);
    const hour = 7 + Math.floor(random() * 11);
    const postedAt = new Date(REFERENCE_DAY_MS - daysAgo * DAY_MS + hour * 3_600_000).toISOString();
    const number = index + 1;

    return {
      id: `jp-${String(number).padStart(4, '0')}`,
      title,
      company: employer.name,
      location,
      remote,
      url: `https://jobs.example.com/${slugify(employer.name)}/${slugify(title)}-${number}`,
      postedAt,
      description:
        `${employer.name}, ${article(employer.industry)} ${employer.industry} company, is hiring ` +
        `${article(title)} ${title} ${where}. ${role.summary} ` +
        `You will work with ${skills.join(', ')}. ${pick(PERKS)}`,
      skills,
    };
  });
}

/** The built-in dataset `searchJobs` uses when none is given: plausible, varied and the same on every load. */
export const JOB_POSTINGS: readonly JobPosting[] = Object.freeze(buildPostings());
