// A curl line that replays an exchange, with secrets masked: the password
// is never printed, an environment variable stands in for it.
import type { Exchange } from "./transport.ts";

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(exchange: Exchange, opts: { insecure: boolean; username?: string }): string {
  const parts = ["curl"];
  if (opts.insecure) parts.push("-k");
  parts.push("-u", `${opts.username ?? "admin"}:"$ONTAP_PASSWORD"`);
  if (exchange.request.method !== "GET") parts.push("-X", exchange.request.method);
  parts.push(shellQuote(exchange.request.url));
  const accept = exchange.request.headers.accept;
  if (accept && accept !== "application/hal+json") parts.push("-H", shellQuote(`Accept: ${accept}`));
  const ct = exchange.request.headers["content-type"];
  if (exchange.request.body !== undefined && !exchange.request.body.startsWith("<multipart")) {
    if (ct) parts.push("-H", shellQuote(`Content-Type: ${ct}`));
    parts.push("-d", shellQuote(exchange.request.body));
  } else if (exchange.request.body?.startsWith("<multipart")) {
    parts.push("-F", shellQuote("file=@package.tgz"));
  }
  return parts.join(" ");
}
