// vitest entry for the property phase (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { checksOfPhase } from "../index.ts";

defineSuite("property", checksOfPhase("property"));
