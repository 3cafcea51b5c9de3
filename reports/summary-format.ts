// The format tag of summary.json (reports/summary.schema.json), in a module
// of its own: the baseline reader tells a summary from a baseline by it
// without importing the summary's builder (which imports the baseline's types).
export const SUMMARY_FORMAT = "ontap-conformance/summary@1";
