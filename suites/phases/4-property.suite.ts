// vitest entry for the property phase (run by `ontap-conformance run`).
import { defineSuite } from "../../src/harness/suite-runner.ts";
import { suiteOf } from "../index.ts";

defineSuite("property", suiteOf("property"));
