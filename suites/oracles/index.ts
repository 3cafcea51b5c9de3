// The semantic oracles of the conformance suite: pure functions that decide
// whether a server's answer is right, given what it was asked and what else
// it served. Each returns Violation[] (empty = conformant). They implement
// spec/conventions.md and the licensing/software docs on their own; nothing
// here imports the reference mock (mock/), so shared misreadings cannot cancel out.
export * from "./types.ts";
export * from "./filter.ts";
export * from "./fields.ts";
export * from "./order.ts";
export * from "./pages.ts";
export * from "./counts.ts";
export * from "./licensing.ts";
export * from "./upgrade.ts";
export * from "./jobs.ts";
