/** Rejects with "timed out after N ms" when `work` has not settled by then; clears its timer either way. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  // A probe must not keep a stopping process alive.
  timer?.unref();
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
