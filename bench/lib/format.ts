// Number formatting for the bench table.
export const int = (n: number) => Math.round(n).toLocaleString("en-US");
export const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const ratio = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}x` : "n/a");
export const pct = (n: number) => `${Math.round(n * 100)}%`;
export const verdict = (met: boolean | undefined) => (met === undefined ? "n/a" : met ? "met" : "MISSED");
