// The benchmark's verdicts: one row per measurement with its target, pass/fail, the machine's
// baseline beside it and the ratio; printed as a table and kept in latest.json under "checks".

export interface Check {
  /** Stable key, e.g. "capture.rps". */
  key: string;
  name: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  /** null: shown for information, no target. */
  pass: boolean | null;
}

export const fmt = {
  ms: (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? "n/a" : `${value.toFixed(value < 10 ? 2 : 1)} ms`),
  mb: (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? "n/a" : `${value.toFixed(0)} MB`),
  count: (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? "n/a" : value.toLocaleString("en-US")),
  rps: (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? "n/a" : `${Math.round(value).toLocaleString("en-US")} req/s`),
  ratio: (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? "" : `${value.toFixed(2)}x`),
};

/** A Markdown table (readable in a terminal and pasteable into the README). */
export function renderTable(checks: Check[]): string {
  const header = ["measurement", "WebhookDump", "baseline", "ratio", "target", "result"];
  const rows = checks.map((check) => [
    check.name,
    check.value,
    check.baseline || "—",
    check.ratio || "—",
    check.target || "—",
    check.pass === null ? "info" : check.pass ? "PASS" : "FAIL",
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(" | ")} |`;
  return [line(header), `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`, ...rows.map(line)].join("\n");
}
