// vitest entry for the stateful phase (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { suiteOf } from "../index.ts";

defineSuite("stateful", suiteOf("stateful"));
