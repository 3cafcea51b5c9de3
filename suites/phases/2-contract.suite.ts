// vitest entry for the contract phase (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { suiteOf } from "../index.ts";

defineSuite("contract", suiteOf("contract"));
