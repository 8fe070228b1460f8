export type JobSector =
  | 'tech'
  | 'finance'
  | 'health'
  | 'education'
  | 'retail'
  | 'logistics'
  | 'hospitality'
  | 'construction'
  | 'energy'
  | 'industrial'
  | 'media'
  | 'public';

/** A kind of job the built-in dataset is generated from; seniority and employer vary per posting. */
export interface JobRole {
  title: string;
  /** Seniority prefixes that make sense for this role; '' is the plain title. */
  levels: readonly string[];
  skills: readonly string[];
  summary: string;
  /** Whether the work can be done away from a site at all; a nurse or a forklift operator cannot. */
  remotable: boolean;
  /** Only employers in these sectors post it; absent means any employer might. */
  sectors?: readonly JobSector[];
}
