// The Redactor masks what it was told (password, its encodings, keys sent)
// and, by shape, license keys it was never told about: a shrunk
// counterexample quotes keys that the worker generated but the main
// process never saw (the CI leak of 2026-11-23, seed 1475429035).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { keyPlaceholder, Redactor } from "../../src/harness/secrets.ts";

describe("Redactor", () => {
  it("masks the password in its plain, URL-encoded and basic-auth forms", () => {
    const r = new Redactor({ secrets: ["Sup3r-S3cret-pw!"], username: "admin" });
    const basic = Buffer.from("admin:Sup3r-S3cret-pw!").toString("base64");
    const out = r.redactText(`pw=Sup3r-S3cret-pw! enc=${encodeURIComponent("Sup3r-S3cret-pw!")} auth=${basic}`);
    expect(out).not.toContain("Sup3r");
    expect(out).not.toContain(basic);
  });

  it("masks a 28-letter key it was never told about, keeping a fingerprint", () => {
    const key = "ONTCAAZZZZZZEBEJACHEJCAAADTN";
    const out = new Redactor().redactText(`Counterexample (shrunk): mixed: short-valid: ${key} | nlf1-valid: {…}`);
    expect(out).not.toContain(key);
    expect(out).toContain(keyPlaceholder(key));
  });

  it("leaves ordinary words, enum values and short capitals alone", () => {
    const text = "GET /api/cluster/licensing/licenses?state=compliant → 200 OK; NLFv2 UUID HTTP_NOT_FOUND";
    expect(new Redactor().redactText(text)).toBe(text);
  });

  it("masks keys inside a JSON body, by the keys field and by shape", () => {
    const r = new Redactor();
    const body = r.redactJson({ keys: ["AAAAAAAAAAAAAAAAAAAAAAAAAAAA"], message: "bad key BBBBBBBBBBBBBBBBBBBBBBBBBBBB" });
    expect(JSON.stringify(body)).not.toMatch(/AAAAAAAA|BBBBBBBB/);
  });

  // redactText first asks one case-sensitive regex (authorization spelled
  // with character classes) whether there is anything to mask at all; a miss
  // must never let a secret through.
  it("its quick 'nothing to mask' test never lets a secret or a key through", () => {
    const password = "Pa$$w0rd.(x)|[y]";
    const r = new Redactor({ secrets: [password], username: "admin" });
    const sent = "QWERTYUIOPASDFGHJKLZXCVBNMQW";
    r.addKeys([sent]);
    const basic = Buffer.from(`admin:${password}`).toString("base64");
    const fragment = fc.oneof(
      fc.constantFrom(password, encodeURIComponent(password), basic, sent, "Authorization: Basic dXNlcjpwdw==", "authorization=bearer abc.def", "AuThOrIzAtIoN: bAsIc dXNlcjpwdw=="),
      fc.stringMatching(/^[A-Z]{20,30}$/),
      fc.string({ maxLength: 12 }),
      fc.constantFrom("GET /api/cluster", " ", "?fields=*", "\n", "compliant"),
    );
    fc.assert(fc.property(fc.array(fragment, { maxLength: 8 }), (parts) => {
      const out = r.redactText(parts.join(""));
      for (const secret of [password, encodeURIComponent(password), basic, sent, "dXNlcjpwdw==", "bearer abc.def"]) expect(out).not.toContain(secret);
      expect(out).not.toMatch(/(?<![A-Za-z0-9])[A-Z]{20,}(?![A-Za-z0-9])/);
    }), { seed: 20261123, numRuns: 2000 });
  });

  // redactHeaders scans the ordinary values once, joined: it must mask each
  // value exactly as redactText would on its own.
  it("masks every header value as redactText does, though it scans them joined", () => {
    const password = "s3cr3t-Pass";
    const r = new Redactor({ secrets: [password], username: "admin" });
    const value = fc.oneof(
      fc.constantFrom(password, `x${password}y`, "application/hal+json", "ABCDEFGHIJKLMNOPQRSTUVWXYZAB", "Basic YWRtaW46c2VjcmV0", "timeout=5"),
      fc.stringMatching(/^[A-Z]{8,14}$/),
      fc.string({ maxLength: 10 }),
    );
    const name = fc.constantFrom("content-type", "location", "x-dot-error-arg", "authorization", "cookie", "set-cookie", "Authorization", "date");
    fc.assert(fc.property(fc.dictionary(name, value, { maxKeys: 6 }), (headers) => {
      const out = r.redactHeaders(headers);
      expect(Object.keys(out)).toEqual(Object.keys(headers));
      for (const [k, v] of Object.entries(headers)) {
        const lower = k.toLowerCase();
        if (lower === "cookie" || lower === "set-cookie") expect(out[k]).toBe("***");
        else if (lower === "authorization") {
          const scheme = /^(\w+)\s+\S/.exec(v)?.[1];
          if (scheme) expect(out[k]).toBe(`${scheme} ***`);
        }
        else expect(out[k]).toBe(r.redactText(v));
      }
    }), { seed: 20261123, numRuns: 2000 });
  });
});
