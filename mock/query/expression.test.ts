import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OntapError } from "../errors.ts";
import { parseExpression, type Term } from "./expression.ts";

const terms = (text: string): Array<[boolean, Term]> => parseExpression(text).alternatives.map((a) => [a.negated, a.term]);
const one = (text: string): Term => {
  const [alt, ...rest] = parseExpression(text).alternatives;
  expect(rest).toEqual([]);
  expect(alt.negated).toBe(false);
  return alt.term;
};

describe("parseExpression", () => {
  it.each([
    ["joe", { kind: "equals", value: "joe" }],
    ["", { kind: "equals", value: "" }],
    ["abc*", { kind: "wildcard", pieces: ["abc", ""] }],
    ["*xyz", { kind: "wildcard", pieces: ["", "xyz"] }],
    ["abc*xyz", { kind: "wildcard", pieces: ["abc", "xyz"] }],
    ["*", { kind: "wildcard", pieces: ["", ""] }],
    ["<10", { kind: "compare", operator: "<", value: "10" }],
    [">=joe", { kind: "compare", operator: ">=", value: "joe" }],
    ["<=5", { kind: "compare", operator: "<=", value: "5" }],
    [">a*", { kind: "compare", operator: ">", value: "a*" }],
    ["3..10", { kind: "range", low: "3", high: "10" }],
    ["jim..joe", { kind: "range", low: "jim", high: "joe" }],
    ["null", { kind: "null" }],
    ['"null"', { kind: "equals", value: "null" }],
    ['"joe*"', { kind: "equals", value: "joe*" }],
    ["{a|b}", { kind: "equals", value: "a|b" }],
    ["{{jim}}", { kind: "equals", value: "{jim}" }],
    ['{"abc"}', { kind: "equals", value: '"abc"' }],
    ['"{a"', { kind: "equals", value: "{a" }],
    ['{"}', { kind: "equals", value: '"' }],
    ['"a,b"', { kind: "equals", value: "a,b" }],
    ['"3..10"', { kind: "equals", value: "3..10" }],
    ['"<10"', { kind: "equals", value: "<10" }],
    ['"a*"*', { kind: "wildcard", pieces: ["a*", ""] }],
  ] as Array<[string, Term]>)("%j", (text, term) => {
    expect(one(text)).toEqual(term);
  });

  it("negates one term", () => {
    expect(terms("!3")).toEqual([[true, { kind: "equals", value: "3" }]]);
    expect(terms("!joe")).toEqual([[true, { kind: "equals", value: "joe" }]]);
    expect(terms("!abc*")).toEqual([[true, { kind: "wildcard", pieces: ["abc", ""] }]]);
    expect(terms("!jim..joe")).toEqual([[true, { kind: "range", low: "jim", high: "joe" }]]);
    expect(terms("!null")).toEqual([[true, { kind: "null" }]]);
    expect(terms('"!x"')).toEqual([[false, { kind: "equals", value: "!x" }]]);
  });

  it("splits alternatives on | and , outside quotes and braces", () => {
    expect(terms("3|5")).toEqual([[false, { kind: "equals", value: "3" }], [false, { kind: "equals", value: "5" }]]);
    expect(terms("3|5..9|>100")).toEqual([
      [false, { kind: "equals", value: "3" }],
      [false, { kind: "range", low: "5", high: "9" }],
      [false, { kind: "compare", operator: ">", value: "100" }],
    ]);
    expect(terms("<10|null")).toEqual([[false, { kind: "compare", operator: "<", value: "10" }], [false, { kind: "null" }]]);
    expect(terms("{a|b}|c").map(([, t]) => t)).toEqual([{ kind: "equals", value: "a|b" }, { kind: "equals", value: "c" }]);
  });

  it("ignores whitespace after a comma only", () => {
    const values = (text: string) => terms(text).map(([, t]) => (t as { value: string }).value);
    expect(values("compliant, noncompliant,  unlicensed,unknown")).toEqual(["compliant", "noncompliant", "unlicensed", "unknown"]);
    expect(values("a |b")).toEqual(["a ", "b"]);
    expect(values('a, " b"')).toEqual(["a", " b"]);
  });

  it.each(['"abc', "{abc", "abc}", "{{a}", "a|{b", '"a"b"']) ("rejects %j with 400/262185", (text) => {
    const error = (() => {
      try {
        parseExpression(text, "name");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(OntapError);
    expect(error).toMatchObject({ httpStatus: 400, code: 262185, target: "name" });
  });

  it("never throws anything but an OntapError (property)", () => {
    const alphabet = fc.constantFrom(..."ab09*|,!<>=.{}\" null".split(""));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(alphabet).map((cs) => cs.join(""))), (text) => {
        try {
          parseExpression(text);
        } catch (e) {
          expect(e).toBeInstanceOf(OntapError);
          expect((e as OntapError).code).toBe(262185);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
