// Reading a dotted path out of a record. Arrays fan out: a path that crosses
// `licenses[]` yields one candidate per element (conventions §1.3), so the
// caller can apply "at least one element satisfies the whole expression".

/** Split once per request, not per record. */
export function splitPath(path: string): string[] {
  return path.split(".");
}

/**
 * The values at `segments` in `record`, one per array element crossed.
 * `undefined` stands for "unset here" (absent, null, or an empty array), so
 * an unset field still yields one candidate and can satisfy `null`.
 */
export function valuesAt(record: unknown, segments: readonly string[]): unknown[] {
  const out: unknown[] = [];
  collect(record, segments, 0, out);
  return out;
}

function collect(value: unknown, segments: readonly string[], depth: number, out: unknown[]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push(undefined);
    for (const element of value) collect(element, segments, depth, out);
    return;
  }
  if (value === null || value === undefined) {
    out.push(undefined);
    return;
  }
  if (depth === segments.length) {
    out.push(value);
    return;
  }
  if (typeof value !== "object") {
    out.push(undefined); // a path below a scalar leads nowhere
    return;
  }
  // Own properties only: a field named like `constructor` must not reach the prototype.
  const object = value as Record<string, unknown>;
  const key = segments[depth];
  collect(Object.hasOwn(object, key) ? object[key] : undefined, segments, depth + 1, out);
}
