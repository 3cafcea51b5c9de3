// Packages of the project itself, loaded from the project's node_modules.
// bench/node_modules (Prism's tree) holds other versions of some of them
// (yaml 1.x, ajv-formats 2.x): a bare import from bench/ would find those
// first, so bench code takes them from here.
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as Undici from "undici";

const rootRequire = createRequire(join(fileURLToPath(new URL("../../", import.meta.url)), "package.json"));

export const undici = rootRequire("undici") as typeof Undici;
export const yaml = rootRequire("yaml") as { parse(text: string): any; stringify(value: unknown): string };
