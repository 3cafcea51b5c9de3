// A worker thread of the catalog engine (catalog-engine.ts). The project is
// TypeScript run in place, so the worker registers tsx's loader itself (a
// loader registered in the main thread does not reach worker threads) before
// importing the real worker module.
import { register } from "tsx/esm/api";
register();
await import("./catalog-worker.ts");
