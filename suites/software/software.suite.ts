// vitest entry for the software checks (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { softwareChecks } from "./checks.ts";

defineSuite("software", softwareChecks);
