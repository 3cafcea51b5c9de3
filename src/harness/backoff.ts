// Polling without a fixed sleep (jobs, an update, a running download): the
// wait between two polls starts short and doubles up to a cap, so a quick
// target is read again soon and a slow one is not flooded.

/** A wait to call between polls: `firstMs`, then twice the last, at most `maxMs`. */
export function backoff(firstMs: number, maxMs: number): () => Promise<void> {
  let delay = firstMs;
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, maxMs);
  };
}
