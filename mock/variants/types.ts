// A legal variant of the reference mock answers in one other way a real
// ONTAP cluster may legally answer, and says why that is legal. The suite
// must pass every one, in default and in strict mode (issue 18 item 6: no
// legal answer is a false alarm). The mirror of mock/mutants/.
import type { MockPatch } from "../mutants/types.ts";

export type VariantCategory = "json" | "media" | "transport" | "headers" | "timing" | "paging" | "order" | "jobs" | "errors" | "envelope" | "release" | "hal" | "shape";

export const VARIANT_CATEGORIES: VariantCategory[] = ["json", "media", "transport", "headers", "timing", "paging", "order", "jobs", "errors", "envelope", "release", "hal", "shape"];

/** One answer on its way to the client, as the wire proxy sees it. */
export interface WireAnswer {
  method: string;
  /** Request path and query, as the client sent them. */
  url: string;
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/**
 * What a variant does at the transport level, in a proxy in front of the
 * mock (mock/variants/wire.ts): the bytes, framing and timing of answers.
 */
export interface WireBehaviour {
  /** Rewrite an answer (headers, body bytes) before it is sent. */
  answer?(a: WireAnswer): void;
  /** Send bodies with Transfer-Encoding: chunked, in several chunks, without Content-Length. */
  chunked?: boolean;
  /** Close the connection after every answer (Connection: close). */
  close?: boolean;
  /** Milliseconds to wait before answering, asked once per request. */
  delayMs?(): number;
}

export interface Variant extends MockPatch {
  /** Stable name: category.what-changes */
  name: string;
  category: VariantCategory;
  /** What it changes, one sentence. */
  changes: string;
  /** Why a real cluster may answer so: the source and its section. */
  legal: string;
  /** Transport-level behaviour (a proxy in front of the mock). */
  wire?: WireBehaviour;
  /**
   * The variant answers in a form the sources disagree about, named as a
   * quirk in spec/quirks.yaml. Default mode must pass it (with the quirk's
   * warning); --strict decides against it, so under --strict it must fail,
   * every failure naming this quirk and nothing else.
   */
  quirk?: string;
}

/** A small deterministic PRNG (mulberry32), so a variant's choices replay. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Apply fn to every plain object in a JSON value, depth first (children before parents). */
export function eachObject(value: unknown, fn: (o: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v) => eachObject(v, fn));
    return;
  }
  if (!value || typeof value !== "object") return;
  for (const v of Object.values(value)) eachObject(v, fn);
  fn(value as Record<string, unknown>);
}
