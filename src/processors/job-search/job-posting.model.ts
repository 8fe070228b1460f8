/** One posting in a searchable dataset; `description` and `skills` are searched, not returned. */
export interface JobPosting {
  id: string;
  title: string;
  company: string;
  location: string;
  remote: boolean;
  url: string;
  /** ISO 8601, UTC. */
  postedAt: string;
  description: string;
  skills: readonly string[];
}
