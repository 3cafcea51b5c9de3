// vitest entry for the stateful phase (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { checksOfPhase } from "../index.ts";

defineSuite("stateful", checksOfPhase("stateful"));
