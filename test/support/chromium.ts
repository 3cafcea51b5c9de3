// Headless Chromium (Debian's `chromium`) driven over the DevTools protocol:
// open a page, run a script in it, take a screenshot. Enough to test what the
// HTML report renders, without a browser-automation dependency.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocket } from "undici";

// --disable-dev-shm-usage: containers often have a tiny /dev/shm, where Chromium crashes.
// --host-resolver-rules: should a page try to call out, nothing leaves the machine (Page.requests still records it).
export const CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,1000"];

/** The chromium binary on PATH, or undefined. */
export function findChromium(): string | undefined {
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return undefined;
}

export interface Page {
  /** Evaluate an expression (awaiting a returned promise); the JSON value it yields. */
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG screenshot of the viewport. */
  screenshot(): Promise<Buffer>;
  /** URLs the page requested (to prove a report calls out to nothing). */
  requests: string[];
  close(): Promise<void>;
}

export async function openPage(binary: string, url: string): Promise<Page> {
  const profile = mkdtempSync(join(tmpdir(), "chromium-"));
  const child: ChildProcess = spawn(binary, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-port=0", "about:blank"], { stdio: ["ignore", "ignore", "pipe"] });
  const wsUrl = await new Promise<string>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`chromium did not start: ${err.slice(-500)}`)), 20_000);
    child.stderr!.on("data", (d) => {
      err += d;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`chromium exited (${code}): ${err.slice(-500)}`)); });
  });
  const port = new URL(wsUrl).port;
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
  const ws = new WebSocket(targets.find((t) => t.type === "page")!.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  let id = 0;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const listeners: Array<(method: string, params: any) => void> = [];
  ws.onmessage = (ev) => {
    const msg = JSON.parse(String(ev.data));
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
    } else for (const l of listeners) l(msg.method, msg.params);
  };
  const send = (method: string, params: object = {}): Promise<any> =>
    new Promise((resolve, reject) => { const n = ++id; pending.set(n, { resolve, reject }); ws.send(JSON.stringify({ id: n, method, params })); });
  const requests: string[] = [];
  listeners.push((method, params) => { if (method === "Network.requestWillBeSent") requests.push(params.request.url); });
  await send("Network.enable");
  await send("Page.enable");
  const loaded = new Promise<void>((resolve) => listeners.push((method) => { if (method === "Page.loadEventFired") resolve(); }));
  await send("Page.navigate", { url });
  await loaded;
  return {
    requests,
    async evaluate<T>(expression: string): Promise<T> {
      const r = await send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true });
      if (r.exceptionDetails) throw new Error(`in the page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value as T;
    },
    async screenshot(): Promise<Buffer> {
      const r = await send("Page.captureScreenshot", { format: "png" });
      return Buffer.from(r.data, "base64");
    },
    async close(): Promise<void> {
      ws.close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGKILL");
        await exited;
      }
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
