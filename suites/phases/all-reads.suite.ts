// vitest entry of a read-only run (run by `ontap-conformance run`): a run
// that changes nothing needs no phase order, so every check of every phase is
// in this one file and the reads run side by side (src/harness/suite-runner.ts).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { suiteOfAll } from "../index.ts";

defineSuite("read-only", suiteOfAll());
