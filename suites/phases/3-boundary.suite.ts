// vitest entry for the boundary phase (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { suiteOf } from "../index.ts";

defineSuite("boundary", suiteOf("boundary"));
