// vitest entry for the examples phase (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { suiteOf } from "../index.ts";

defineSuite("examples", suiteOf("examples"));
