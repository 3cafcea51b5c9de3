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

  // The scan is built in two parts (the forms up to its last build, and those learnt since) so that a run
  // learning a key per licence install does not rebuild it each time: every key must be masked the moment it
  // is learnt, across every rebuild, and a form that became a password's is masked as one.
  it("masks each key from the moment it is learnt, however many came before", () => {
    const r = new Redactor({ secrets: ["Pa55-word"], username: "admin" });
    const letters = fc.stringMatching(/^[A-Z]{28}$/);
    fc.assert(fc.property(fc.uniqueArray(letters, { minLength: 1, maxLength: 120 }), (keys) => {
      const fresh = new Redactor({ secrets: ["Pa55-word"], username: "admin" });
      keys.forEach((k, i) => {
        expect(fresh.redactText("nothing here")).toBe("nothing here");
        fresh.addKeys([k]);
        // A lower-cased key is no shape the scan knows: only its learnt form finds it.
        expect(fresh.redactText(`echo ${k.toLowerCase()} and Pa55-word`)).toBe(`echo ${keyPlaceholder(k.toLowerCase())} and ***`);
        if (i > 0) expect(fresh.redactText(`again ${keys[i - 1].toLowerCase()}`)).toBe(`again ${keyPlaceholder(keys[i - 1].toLowerCase())}`);
      });
      for (const k of keys) expect(fresh.redactText(k.toLowerCase())).not.toContain(k.toLowerCase());
    }), { seed: 20261206, numRuns: 40 });
    r.addKeys(["secretkeyform1"]);
    r.add("secretkeyform1");
    expect(r.redactText("x secretkeyform1 y")).toBe("x *** y");
  });

  // The echoes an independent audit (2026-12-06) found leaking: a target may
  // send a secret back in any spelling its encoders allow.
  describe("a secret echoed in another spelling", () => {
    const password = 'Zq9-pass!word%27"x';
    const unicode = "ünï©ødé-密码-Zq9✓";

    it("a password percent-encoded strictly or in lower-case hex is found decoded", () => {
      const r = new Redactor({ secrets: [password], username: "admin" });
      const strict = encodeURIComponent(password).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
      const lower = strict.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
      for (const form of [strict, lower, encodeURIComponent(encodeURIComponent(password))]) {
        const out = r.redactText(`/api/cluster/licensing/licenses/x?token=${form}&y=1`);
        expect(out).not.toContain(form);
        expect(decodeURIComponent(decodeURIComponent(out))).not.toContain(password);
      }
      // A Location header too (it goes to the run's ledger).
      expect(r.redactHeaders({ location: `/api/x?token=${strict}` }).location).not.toContain(strict);
    });

    it("a text whose % escapes do not decode is still masked as written", () => {
      const r = new Redactor({ secrets: [password] });
      expect(r.redactText(`100% sure: ${password}`)).toBe("100% sure: ***");
    });

    it("a non-ASCII password echoed in a header (its UTF-8 bytes read as Latin-1) is masked", () => {
      const r = new Redactor({ secrets: [unicode], username: "admin" });
      const asHeader = Buffer.from(unicode, "utf8").toString("latin1");
      expect(r.redactHeaders({ "x-echo": `pw=${asHeader}` })["x-echo"]).toBe("pw=***");
    });

    it("a password \\u-escaped in a JSON body is masked in the body the reports show", () => {
      const r = new Redactor({ secrets: [password, unicode] });
      const escapeAll = (s: string) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
      const body = `{"error":{"code":"1","message":"pw=${escapeAll(password)} and ${escapeAll(unicode)}"}}`;
      const shown = r.redactBody(body);
      expect(JSON.stringify(JSON.parse(shown))).not.toContain(password);
      expect(JSON.stringify(JSON.parse(shown))).not.toContain(unicode);
      expect(JSON.parse(shown).error.message).toBe("pw=*** and ***");
      // A body with nothing to mask is given back as it came, formatting and all.
      const plain = '{ "a" : "x\\u0041" }';
      expect(r.redactBody(plain)).toBe(plain);
    });

    it("a password that looks like a key or a JSON document is masked as ***, never by a fingerprint", () => {
      for (const pw of ["{Zq9-pass!word}", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]) {
        const out = new Redactor({ secrets: [pw] }).redactText(`login with password ${pw} refused`);
        expect(out).toBe("login with password *** refused");
      }
    });

    it("a key echoed lower-case, and an NLF key's signature, are masked", () => {
      const r = new Redactor();
      const key = "QWERTYUIOPASDFGHJKLZXCVBNMQW";
      const nlf = '{"statusResp":{"version":"2","serialNumber":"4212426890"},"Signature":"0f1e2d3c4b5a69788796a5b4c3d2e1f0"}';
      r.addKeys([key, nlf]);
      const out = r.redactText(`key=${key.toLowerCase()} sig=0f1e2d3c4b5a69788796a5b4c3d2e1f0 SIG=0F1E2D3C4B5A69788796A5B4C3D2E1F0`);
      expect(out).not.toContain(key.toLowerCase());
      expect(out).not.toMatch(/0f1e2d3c4b5a6978/i);
      expect(out).toContain("<license-key sha256:");
    });
  });
});

