// vitest entry for the examples phase (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { checksOfPhase } from "../index.ts";

defineSuite("examples", checksOfPhase("examples"));
