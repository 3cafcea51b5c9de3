#!/usr/bin/env node
// Entry point. The project is TypeScript run in place (no build step), so the
// CLI registers tsx's loader before importing the real main module.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
