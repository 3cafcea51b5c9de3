// A proxy in front of a server under test that forwards every request and
// counts them by method, and notes the 422s (a request Prism's validator
// refused). Rows 4 and 6 count a run's requests with it.
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";

/** A proxy that forwards everything to `upstream` and counts the requests by method, and the 422s (a query Prism's validator refused). */
export async function countingProxy(upstream: string): Promise<{ url: string; counts: Map<string, number>; refused: string[]; total(): number; close(): Promise<void> }> {
  const up = new URL(upstream);
  const counts = new Map<string, number>();
  const refused: string[] = [];
  const server = createServer((req, res) => {
    counts.set(req.method ?? "?", (counts.get(req.method ?? "?") ?? 0) + 1);
    const fwd = httpRequest({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } }, (r) => {
      if (r.statusCode === 422) refused.push(`${req.method} ${req.url}`);
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    fwd.on("error", () => res.destroy());
    req.pipe(fwd);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    refused,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

