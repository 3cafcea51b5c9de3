// src/contract/formats.ts replaces ajv-formats' full "date-time" for speed;
// here it must agree with ajv-formats on every string, above all on the
// near-misses (wrong calendar days, offsets, separators, leap seconds).
import fc from "fast-check";
import { fullFormats } from "ajv-formats/dist/formats.js";
import { describe, expect, it } from "vitest";
import { isDateTime } from "../../src/contract/formats.ts";
import { validateSchema } from "../../src/contract/index.ts";

const reference = (fullFormats["date-time"] as { validate: (s: string) => boolean }).validate;

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
/** Date-times assembled from parts that are each valid, out of range, or malformed. */
const nearDateTime = fc.record({
  year: fc.oneof(fc.integer({ min: 0, max: 9999 }).map((y) => pad(y, 4)), fc.constantFrom("1900", "2000", "2024", "2100", "202", "20245")),
  month: fc.oneof(fc.integer({ min: 0, max: 19 }).map((n) => pad(n)), fc.constantFrom("2", "1a")),
  day: fc.oneof(fc.integer({ min: 0, max: 39 }).map((n) => pad(n)), fc.constantFrom("29", "30", "31", "9")),
  sep: fc.constantFrom("T", "t", " ", "\t", "\u00a0", "\u2028", "x", "", "TT", "_"),
  hour: fc.oneof(fc.integer({ min: 0, max: 29 }).map((n) => pad(n)), fc.constantFrom("23", "00", "7")),
  minute: fc.oneof(fc.integer({ min: 0, max: 69 }).map((n) => pad(n)), fc.constantFrom("59", "0")),
  second: fc.oneof(fc.integer({ min: 0, max: 69 }).map((n) => pad(n)), fc.constantFrom("59", "60", "61", "6")),
  fraction: fc.constantFrom("", ".5", ".123456789", ".", ".x", ".0"),
  zone: fc.oneof(
    fc.constantFrom("Z", "z", "", "ZZ", "+", "-", "+05:", "+5:30", "+05:30:00", " Z"),
    fc.tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 29 }), fc.constantFrom(":", ""), fc.option(fc.integer({ min: 0, max: 69 }))).map(([s, h, c, m]) => `${s}${pad(h)}${m === null ? "" : `${c}${pad(m)}`}`),
  ),
}).map((p) => `${p.year}-${p.month}-${p.day}${p.sep}${p.hour}:${p.minute}:${p.second}${p.fraction}${p.zone}`);

/** Valid date-times in their several spellings: separator, fraction, offset. */
const validDateTime = fc.tuple(
  fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
  fc.constantFrom("T", "t", " "), fc.boolean(), fc.constantFrom("Z", "z", "+00:00", "-05:30", "+0530", "+14"),
).map(([d, sep, frac, zone]) => {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)}${sep}${iso.slice(11, frac ? 23 : 19)}${zone}`;
});

/** Around a leap second: 23:59:60 is valid only at 23:59 UTC, whatever the offset. */
const nearLeapSecond = fc.tuple(
  fc.integer({ min: 21, max: 24 }), fc.integer({ min: 0, max: 3 }).map((n) => [0, 58, 59, 60][n]), fc.integer({ min: 58, max: 61 }),
  fc.constantFrom("Z", "+00:00", "-01:00", "+01:00", "-00:30", "+23:59", "-23:59", "+0100"),
).map(([h, m, sec, zone]) => `2016-12-31T${pad(h)}:${pad(m)}:${pad(sec)}${zone}`);

/** A valid-looking date-time with one character inserted, removed or replaced. */
const mutated = fc.tuple(nearDateTime, fc.nat(), fc.constantFrom("insert", "remove", "replace"), fc.constantFrom("0", "9", "-", ":", "T", " ", "Z", "+", ".", "a")).map(([s, at, how, ch]) => {
  const i = at % (s.length + 1);
  if (how === "insert") return s.slice(0, i) + ch + s.slice(i);
  if (how === "remove") return s.slice(0, i) + s.slice(i + 1);
  return s.slice(0, i) + ch + s.slice(i + 1);
});

describe("date-time format", () => {
  it("agrees with ajv-formats' full date-time on generated values, near-misses and noise", () => {
    let valid = 0;
    fc.assert(fc.property(fc.oneof(validDateTime, nearDateTime, nearLeapSecond, mutated, fc.string({ maxLength: 40 })), (s) => {
      if (reference(s)) valid++;
      expect(isDateTime(s), JSON.stringify(s)).toBe(reference(s));
    }), { seed: 20261123, numRuns: 50_000 });
    // The sample must hold both answers in quantity, or the agreement proves little.
    expect(valid).toBeGreaterThan(10_000);
  });

  it.each([
    ["2026-01-05T12:00:00Z", true], ["2024-02-29t00:00:00.5+05:30", true], ["2023-02-29T00:00:00Z", false],
    ["2016-12-31T23:59:60Z", true], ["2016-12-31T22:59:60-01:00", true], ["2016-12-31T22:59:60Z", false], ["2016-12-31T23:59:61Z", false],
    ["2026-01-05T12:00:00", false], ["2026-01-05 12:00:00+0530", true], ["2026-01-05T12:00:00+24:00", false],
  ])("%s is %s, as ajv-formats says", (s, ok) => {
    expect(reference(s)).toBe(ok);
    expect(isDateTime(s)).toBe(ok);
  });

  it("is the format the contract's validators apply", () => {
    const job = (end_time: string) => validateSchema("job", { uuid: "6f7e3b3c-0000-4000-8000-000000000001", state: "success", end_time });
    expect(job("2026-01-05T12:00:00Z").ok).toBe(true);
    expect(job("2023-02-29T00:00:00Z").ok).toBe(false);
  });
});
