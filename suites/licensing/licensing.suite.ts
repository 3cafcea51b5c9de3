// vitest entry for the licensing checks (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { licensingChecks } from "./checks.ts";

defineSuite("licensing", licensingChecks);
