import { ZodError } from 'zod';
import { JOB_POSTINGS } from './job-postings.data.js';
import type { JobPosting } from './job-posting.model.js';
import { searchJobs } from './search-jobs.js';

function posting(overrides: Partial<JobPosting> & Pick<JobPosting, 'id'>): JobPosting {
  return {
    title: 'Office Manager',
    company: 'Acme',
    location: 'Berlin, Germany',
    remote: false,
    url: `https://jobs.example.com/acme/${overrides.id}`,
    postedAt: '2025-01-01T09:00:00.000Z',
    description: 'Run the office.',
    skills: ['administration'],
    ...overrides,
  };
}

describe('JOB_POSTINGS', () => {
  it('holds at least 200 postings with unique ids and urls on jobs.example.com', () => {
    expect(JOB_POSTINGS.length).toBeGreaterThanOrEqual(200);
    expect(new Set(JOB_POSTINGS.map((p) => p.id)).size).toBe(JOB_POSTINGS.length);
    expect(new Set(JOB_POSTINGS.map((p) => p.url)).size).toBe(JOB_POSTINGS.length);
    for (const p of JOB_POSTINGS) {
      expect(p.url).toMatch(/^https:\/\/jobs\.example\.com\/[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(new Date(p.postedAt).toISOString()).toBe(p.postedAt);
      expect(p.description.length).toBeGreaterThan(80);
    }
  });

  it('varies roles, places and remote flags', () => {
    const titles = JOB_POSTINGS.map((p) => p.title);
    expect(titles).toEqual(expect.arrayContaining(['Backend Engineer', 'Registered Nurse', 'Accountant']));
    expect(new Set(titles).size).toBeGreaterThan(80);
    expect(new Set(JOB_POSTINGS.map((p) => p.location)).size).toBeGreaterThan(30);
    const remote = JOB_POSTINGS.filter((p) => p.remote).length;
    expect(remote).toBeGreaterThan(40);
    expect(remote).toBeLessThan(JOB_POSTINGS.length - 40);
  });

  it('never marks a hands-on site role as remote', () => {
    const nurses = JOB_POSTINGS.filter((p) => p.title.endsWith('Registered Nurse'));
    expect(nurses.length).toBeGreaterThan(0);
    expect(nurses.every((p) => !p.remote)).toBe(true);
  });
});

describe('searchJobs', () => {
  it('ranks postings whose title matches the query first', () => {
    const { results } = searchJobs({ query: 'python developer' });
    expect(results[0].title).toMatch(/Python Developer/);
    expect(results[0].score).toBe(1);
  });

  it('weights a title match over a description-only match', () => {
    const dataset = [
      posting({ id: 'described', description: 'We use Rust for a few internal tools.' }),
      posting({ id: 'titled', title: 'Rust Engineer', postedAt: '2024-01-01T09:00:00.000Z' }),
    ];
    const { results } = searchJobs({ query: 'rust' }, dataset);
    expect(results.map((r) => r.url)).toEqual([dataset[1].url, dataset[0].url]);
    expect(results[0].score).toBeGreaterThan(results[1].score);
  });

  it('breaks score ties by newer first, then by url', () => {
    const dataset = [
      posting({ id: 'b-old', postedAt: '2025-01-01T09:00:00.000Z' }),
      posting({ id: 'c-new', postedAt: '2025-02-01T09:00:00.000Z' }),
      posting({ id: 'a-old', postedAt: '2025-01-01T09:00:00.000Z' }),
    ];
    const { results } = searchJobs({ query: 'office manager' }, dataset);
    expect(results.map((r) => r.url.split('/').pop())).toEqual(['c-new', 'a-old', 'b-old']);
  });

  it('returns scores in [0, 1] with at most 3 decimals, best first', () => {
    const { results } = searchJobs({ query: 'senior data engineer spark', limit: 100 });
    expect(results.length).toBeGreaterThan(10);
    for (const [i, r] of results.entries()) {
      expect(r.score).toBeGreaterThan(0);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(Math.round(r.score * 1000) / 1000).toBe(r.score);
      if (i > 0) expect(r.score).toBeLessThanOrEqual(results[i - 1].score);
    }
  });

  it('counts every match in total but returns at most limit results, 20 by default', () => {
    const all = searchJobs({ query: 'engineer', limit: 100 });
    expect(all.total).toBeGreaterThan(20);
    expect(searchJobs({ query: 'engineer' }).results).toHaveLength(20);
    const page = searchJobs({ query: 'engineer', limit: 3 });
    expect(page.total).toBe(all.total);
    expect(page.results).toEqual(all.results.slice(0, 3));
  });

  it('filters location by case- and accent-insensitive substring', () => {
    const { total, results } = searchJobs({ query: 'engineer', location: 'ZURICH', limit: 100 });
    expect(total).toBeGreaterThan(0);
    expect(results.every((r) => r.location === 'Zürich, Switzerland')).toBe(true);
    expect(searchJobs({ query: 'engineer', location: 'Atlantis' }).total).toBe(0);
  });

  it('keeps only remote postings for remote: true and only on-site ones for remote: false', () => {
    const remote = searchJobs({ query: 'manager', remote: true, limit: 100 });
    const onSite = searchJobs({ query: 'manager', remote: false, limit: 100 });
    const both = searchJobs({ query: 'manager', limit: 100 });
    expect(remote.results.every((r) => r.remote)).toBe(true);
    expect(onSite.results.every((r) => !r.remote)).toBe(true);
    expect(remote.total).toBeGreaterThan(0);
    expect(onSite.total).toBeGreaterThan(0);
    expect(remote.total + onSite.total).toBe(both.total);
  });

  it('normalizes plurals, accents, short forms and symbol-bearing skills', () => {
    expect(searchJobs({ query: 'ENGINEERS' }).results[0].title).toMatch(/Engineer/);
    const k8s = searchJobs({ query: 'k8s', limit: 100 });
    expect(k8s.total).toBeGreaterThan(0);
    const withKubernetes = new Set(
      JOB_POSTINGS.filter((p) => p.skills.includes('Kubernetes')).map((p) => p.url),
    );
    expect(k8s.results.every((r) => withKubernetes.has(r.url))).toBe(true);
    expect(searchJobs({ query: 'C++' }).results[0].title).toMatch(/Embedded Software Engineer/);
  });

  it('finds nothing for a query made only of stop words', () => {
    expect(searchJobs({ query: 'the and of' })).toEqual({ total: 0, results: [] });
  });

  it('returns the same page for the same query', () => {
    expect(searchJobs({ query: 'designer', limit: 50 })).toEqual(
      searchJobs({ query: 'designer', limit: 50 }),
    );
  });

  it.each([
    { query: '' },
    { query: '   ' },
    { query: 'x'.repeat(201) },
    { query: 'nurse', limit: 0 },
    { query: 'nurse', limit: 101 },
    { query: 'nurse', limit: 2.5 },
  ])('rejects invalid input %j', (input) => {
    expect(() => searchJobs(input)).toThrow(ZodError);
  });
});
