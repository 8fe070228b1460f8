/** Dependency reads made for a scrape are reused this long: Prometheus and a dashboard may both scrape. */
export const SCRAPE_CACHE_MS = 1_000;
/** Bound on one dependency read during a scrape (Prometheus' own scrape timeout is usually 10 s). */
export const SCRAPE_TIMEOUT_MS = 500;
