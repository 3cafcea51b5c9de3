// A closed-loop load generator: `concurrency` loops, each sending its next
// request when the previous answer is read, for a fixed time. Also reports
// the client process's CPU per request (stable where req/s is noisy).
export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  rps: number;
  /** Client (this process) CPU µs per request: user + system. */
  clientCpuUs: number;
}

/** `send(i)` sends request i and resolves true when the answer is as expected. */
export async function closedLoop(send: (i: number) => Promise<boolean>, opts: { concurrency: number; ms: number; warmupMs: number }): Promise<LoadResult> {
  const loop = async (ms: number) => {
    let requests = 0;
    let failures = 0;
    let next = 0;
    const deadline = performance.now() + ms;
    const worker = async () => {
      while (performance.now() < deadline) {
        const ok = await send(next++).catch(() => false);
        requests++;
        if (!ok) failures++;
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    return { requests, failures };
  };
  if (opts.warmupMs > 0) await loop(opts.warmupMs);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { requests, failures } = await loop(opts.ms);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { requests, failures, seconds, rps: requests / seconds, clientCpuUs: (used.user + used.system) / Math.max(1, requests) };
}

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The middle value (the mean of the middle two for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
