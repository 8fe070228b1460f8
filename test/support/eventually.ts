/** Retries an assertion until it passes or the time is up; the last failure is rethrown. */
export async function eventually<T>(
  assertion: () => Promise<T> | T,
  timeoutMs: number,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
