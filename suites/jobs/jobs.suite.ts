// vitest entry for the jobs checks (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { jobsChecks } from "./checks.ts";

defineSuite("jobs", jobsChecks);
