// ONTAP's filter expression language (spec/conventions.md §1.1, read from
// ref §5.1 = spec/sources/ontap-reference.md) parsed into an AST. Unbalanced
// quotes or braces are an invalid value (262185, ref §5.6; inference).
// Parsing happens once per filter per request; matching (match.ts) then
// only walks the AST.
import { OntapError } from "../errors.ts";

export type ComparisonOperator = "<" | "<=" | ">" | ">=";

export type Term =
  /** The field is unset. */
  | { kind: "null" }
  /** Equal to `value` (compared by the field's type). */
  | { kind: "equals"; value: string }
  /** Unquoted `*` present: the literal pieces between the stars, in order (at least two). */
  | { kind: "wildcard"; pieces: string[] }
  | { kind: "compare"; operator: ComparisonOperator; value: string }
  /** Inclusive on both ends. */
  | { kind: "range"; low: string; high: string };

export interface Alternative {
  negated: boolean;
  term: Term;
}

/** OR over the alternatives. */
export interface Expression {
  alternatives: Alternative[];
}

/**
 * One character of an alternative, remembering whether it came from inside
 * quotes or braces. Quoting is per character rather than per value so that
 * `"a*"*` is the literal `a*` followed by a wildcard, and `!{x}` negates `x`.
 */
interface Char {
  c: string;
  literal: boolean;
}

function malformed(text: string, why: string, field?: string): OntapError {
  const where = field === undefined ? "" : ` for "${field}"`;
  return new OntapError(400, 262185, `Invalid value "${text}"${where}: ${why}.`, field === undefined ? {} : { target: field });
}

/** Split at `|` and `,` outside quotes and braces, unwrapping quotes and braces as it goes. */
function splitAlternatives(text: string, field?: string): Char[][] {
  const alternatives: Char[][] = [];
  let current: Char[] = [];
  let inQuotes = false;
  let braceDepth = 0;
  let afterComma = false;
  for (const c of text) {
    if (afterComma && /\s/.test(c)) continue; // `compliant, noncompliant`
    afterComma = false;
    if (inQuotes) {
      if (c === '"') inQuotes = false;
      else current.push({ c, literal: true });
    } else if (braceDepth > 0) {
      // Inside braces only braces count, and only to find the matching close: `{{jim}}` is `{jim}`.
      if (c === "{") braceDepth++;
      else if (c === "}") braceDepth--;
      if (braceDepth > 0) current.push({ c, literal: true });
    } else if (c === '"') inQuotes = true;
    else if (c === "{") braceDepth = 1;
    else if (c === "}") throw malformed(text, "a closing brace without an opening one", field);
    else if (c === "|" || c === ",") {
      alternatives.push(current);
      current = [];
      afterComma = c === ",";
    } else current.push({ c, literal: false });
  }
  if (inQuotes) throw malformed(text, "an unterminated quote", field);
  if (braceDepth > 0) throw malformed(text, "an unclosed brace", field);
  alternatives.push(current);
  return alternatives;
}

const textOf = (chars: Char[]): string => chars.map((ch) => ch.c).join("");

function startsWithOperator(chars: Char[], operator: string): boolean {
  return operator.split("").every((c, i) => chars[i] !== undefined && !chars[i].literal && chars[i].c === c);
}

function parseTerm(chars: Char[]): Term {
  if (chars.length === 4 && chars.every((ch) => !ch.literal) && textOf(chars) === "null") return { kind: "null" };
  // Longest operator first so `<=5` is not read as `<` of "=5".
  for (const operator of ["<=", ">=", "<", ">"] as const) {
    if (startsWithOperator(chars, operator)) {
      // The rest is one value: a `*` or `..` in it is an ordinary character.
      return { kind: "compare", operator, value: textOf(chars.slice(operator.length)) };
    }
  }
  const dots = chars.findIndex((ch, i) => ch.c === "." && !ch.literal && chars[i + 1]?.c === "." && !chars[i + 1].literal);
  if (dots >= 0) return { kind: "range", low: textOf(chars.slice(0, dots)), high: textOf(chars.slice(dots + 2)) };
  const pieces: string[] = [""];
  for (const ch of chars) {
    if (ch.c === "*" && !ch.literal) pieces.push("");
    else pieces[pieces.length - 1] += ch.c;
  }
  return pieces.length === 1 ? { kind: "equals", value: pieces[0] } : { kind: "wildcard", pieces };
}

/**
 * Parse a filter's value. `field` only names the parameter in the error.
 * An empty text is one alternative equal to the empty string.
 * Throws OntapError 400/262185 for unbalanced quotes or braces.
 */
export function parseExpression(text: string, field?: string): Expression {
  return {
    alternatives: splitAlternatives(text, field).map((chars) => {
      const negated = chars.length > 0 && chars[0].c === "!" && !chars[0].literal;
      return { negated, term: parseTerm(negated ? chars.slice(1) : chars) };
    }),
  };
}
