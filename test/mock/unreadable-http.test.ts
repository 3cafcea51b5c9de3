// Requests node's HTTP parser refuses before the mock's dispatcher sees them
// (an unknown method, oversized headers, a control byte in a header, a
// Content-Length that is no number, a 100 KB query): the mock answers them
// as any other bad input, with ONTAP's error envelope (400, code 262185),
// closes the connection, and its state is unchanged. Raw sockets, since no
// HTTP client sends such requests.
import { connect } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startMock, type MockHandle } from "../../mock/index.ts";

let mock: MockHandle;
beforeAll(async () => { mock = await startMock({ scenario: "docs" }); });
afterAll(async () => { await mock.close(); });

/** Send `bytes` on a connection of its own; everything the mock writes until it closes the connection. */
function raw(bytes: string | Buffer): Promise<string> {
  const { hostname, port } = new URL(mock.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = "";
    socket.on("data", (d) => (text += d.toString("latin1")));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
    socket.setTimeout(10_000, () => reject(new Error(`no close within 10 s; got ${JSON.stringify(text.slice(0, 200))}`)));
    socket.write(bytes);
  });
}

/** The status, lower-cased headers and body of one HTTP/1.1 response. */
function parse(text: string): { status: number; headers: Record<string, string>; body: string } {
  const [head, ...rest] = text.split("\r\n\r\n");
  const [statusLine, ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
  return { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}

const auth = `Basic ${Buffer.from("admin:netapp123").toString("base64")}`;
const request = (line: string, headers: string[] = []) => [line, "Host: mock", `Authorization: ${auth}`, ...headers, "", ""].join("\r\n");

it.each([
  ["an unknown method", request("BREW /api/cluster HTTP/1.1"), /method is not an HTTP method/],
  ["a 20 KB header", request("GET /api/cluster HTTP/1.1", [`X-Big: ${"a".repeat(20_000)}`]), /headers are larger than \d+ bytes/],
  ["a control byte in a header", request("GET /api/cluster HTTP/1.1", ["X-A: a\u0001b"]), /a header name or value holds a character/],
  ["content-length: abc", request("POST /api/cluster/licensing/licenses HTTP/1.1", ["Content-Length: abc"]), /Content-Length header is not a number/],
  ["a 100 KB query", request(`GET /api/cluster/licensing/licenses?name=${"a".repeat(100_000)} HTTP/1.1`), /headers are larger than \d+ bytes/],
])("%s: 400 with ONTAP's error envelope, the connection closed, the state unchanged", async (_, bytes, says) => {
  const before = JSON.stringify(mock.state().snapshot());
  const answer = parse(await raw(bytes));
  expect(answer.status).toBe(400);
  expect(answer.headers["content-type"]).toBe("application/hal+json");
  expect(answer.headers.connection).toBe("close");
  expect(Buffer.byteLength(answer.body, "latin1")).toBe(Number(answer.headers["content-length"]));
  const body = JSON.parse(answer.body);
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe("262185");
  expect(body.error.message).toMatch(says);
  expect(JSON.stringify(mock.state().snapshot())).toBe(before);
  // The mock serves on.
  expect(parse(await raw(request("GET /api/cluster?fields=version HTTP/1.1", ["Connection: close"]))).status).toBe(200);
});
