// Allure 3 configuration for the HTML report of `ontap-conformance run`
// (generated offline into <report-dir>/runs/<id>/html). singleFile makes the
// report open straight from the file system; history feeds the trend charts.
import { defineConfig } from "allure";

export default defineConfig({
  name: "ontap-conformance",
  output: "./reports/html",
  historyPath: "./reports/history/history.jsonl",
  historyLimit: 20,
  plugins: {
    awesome: { options: { reportLanguage: "en", singleFile: true, groupBy: ["epic", "feature", "story"] } },
  },
});
