// Child-process server for the benchmark: every server under test runs in
// its own process, so it never shares an event loop with the load client.
//   node --import tsx bench/serve.ts mock '{"scenario":"large","records":1000,"latencyMs":0}'
//   node --import tsx bench/serve.ts minimal /path/to/responses.json
// Prints one JSON line {"url": ...} when listening; stops on SIGTERM.
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { startMock } from "../mock/index.ts";
import type { CannedResponse } from "./lib/canned.ts";

const [kind, arg] = process.argv.slice(2);

async function minimal(file: string): Promise<{ url: string; close(): Promise<void> }> {
  // Precomputed bytes per request URL: the cheapest answer node:http can give.
  const canned = JSON.parse(readFileSync(file, "utf8")) as Record<string, CannedResponse>;
  const replies = new Map(Object.entries(canned).map(([url, r]) => [url, { status: r.status, headers: { ...r.headers, "content-length": String(Buffer.byteLength(r.body)) }, body: Buffer.from(r.body) }]));
  const server = createServer((req, res) => {
    const r = replies.get(req.url ?? "");
    if (!r) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(r.status, r.headers).end(r.body);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const handle = kind === "mock" ? await startMock(JSON.parse(arg ?? "{}")) : kind === "minimal" ? await minimal(arg) : undefined;
if (!handle) {
  process.stderr.write(`usage: serve.ts mock '<startMock options JSON>' | minimal <responses.json>\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify({ url: handle.url })}\n`);
process.on("SIGTERM", () => { void handle.close().then(() => process.exit(0)); });
