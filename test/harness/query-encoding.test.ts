// encodeQuery writes every query the suite sends: ONTAP's filter syntax must
// arrive as typed (lists with ",", alternatives with "|", wildcards and
// negation readable), everything else percent-encoded, spaces as %20.
import { describe, expect, it } from "vitest";
import { encodeQuery } from "../../src/harness/transport.ts";

describe("encodeQuery", () => {
  it.each([
    ["nothing", undefined, ""],
    ["an empty object", {}, ""],
    ["one field", { fields: "*" }, "?fields=*"],
    ["lists and alternatives stay readable", { fields: "name,state", name: "base|nfs" }, "?fields=name,state&name=base|nfs"],
    ["negation and wildcards", { name: "!nfs*" }, "?name=!nfs*"],
    ["spaces, quotes and reserved characters", { "licenses.owner": 'node 1 "a&b"=c' }, "?licenses.owner=node%201%20%22a%26b%22%3Dc"],
    ["a repeated parameter from an array", { name: ["a", "b"], max_records: "1" }, "?name=a&name=b&max_records=1"],
    ["a list that already holds an encoded comma", { name: "x%2Cy" }, "?name=x%252Cy"],
    ["URLSearchParams in order", new URLSearchParams([["order_by", "name desc"], ["name", "a,b"]]), "?order_by=name%20desc&name=a,b"],
  ])("%s", (_what, query, expected) => {
    expect(encodeQuery(query as never)).toBe(expected);
  });
});
