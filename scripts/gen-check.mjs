// Fails when spec/generated/ is stale: regenerates the types into a temporary
// file and compares with the committed one.
import { execFileSync } from "node:child_process";
import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = join(mkdtempSync(join(tmpdir(), "ontap-gen-")), "ontap.d.ts");
execFileSync(process.execPath, ["node_modules/openapi-typescript/bin/cli.js", "spec/ontap.yaml", "-o", out], { stdio: ["ignore", "ignore", "inherit"] });
const fresh = readFileSync(out, "utf8");
const committed = readFileSync("spec/generated/ontap.d.ts", "utf8");
if (fresh !== committed) {
  console.error("spec/generated/ontap.d.ts is stale: run `npm run gen` and commit the result.");
  process.exit(1);
}
console.log("spec/generated is fresh");
