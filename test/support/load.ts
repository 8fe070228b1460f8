/** Fires `total` GETs with `concurrency` in flight; returns every status and latency. Bounded, loopback only. */
export async function loadTest(
  url: string,
  headers: Record<string, string>,
  total: number,
  concurrency: number,
  onProgress?: (done: number) => void | Promise<void>,
): Promise<{ statuses: number[]; latenciesMs: number[] }> {
  const statuses: number[] = [];
  const latenciesMs: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      const started = performance.now();
      try {
        const res = await fetch(url, { headers });
        await res.arrayBuffer();
        statuses.push(res.status);
      } catch {
        statuses.push(0);
      }
      latenciesMs.push(performance.now() - started);
      await onProgress?.(statuses.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { statuses, latenciesMs };
}
