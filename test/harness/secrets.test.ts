// The Redactor masks what it was told (password, its encodings, keys sent)
// and, by shape, license keys it was never told about: a shrunk
// counterexample quotes keys that the worker generated but the main
// process never saw (the CI leak of 2026-11-23, seed 1475429035).
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
});
