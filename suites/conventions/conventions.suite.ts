// vitest entry for the conventions checks (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { conventionsChecks } from "./checks.ts";

defineSuite("conventions", conventionsChecks);
