/**
 * Lint reports: for people, as GitHub Actions workflow commands, and as one
 * JSON document. Findings arrive sorted; nothing here depends on timing
 * except the human summary's duration.
 */
import { count, formatDiagnostic, printable, printableJson, type Diagnostic } from "../diagnostics.js";
import type { LintResult } from "./lint.js";

export type LintFormat = "human" | "github" | "json";

/**
 * The report in a format. In the human format info findings are one line of
 * counts by check (they never fail a run), unless `verbose` asks for each.
 */
export function formatLintReport(result: LintResult, format: LintFormat, verbose = false): string {
  if (format === "json") return `${printableJson(JSON.stringify(jsonReport(result), null, 2))}\n`;
  const shown = format === "human" && !verbose ? result.findings.filter((d) => d.level !== "info") : result.findings;
  const lines = shown.map(format === "github" ? githubCommand : formatDiagnostic);
  if (shown.length < result.findings.length) lines.push(infoLine(result.findings.filter((d) => d.level === "info")));
  lines.push(summary(result));
  return `${lines.join("\n")}\n`;
}

/** `12 info findings not shown: optionalNull 10, format-skipped 2 (--verbose lists them)`. */
function infoLine(info: readonly Diagnostic[]): string {
  const byCode = new Map<string, number>();
  for (const d of info) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
  const parts = [...byCode].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([code, n]) => `${code} ${n}`);
  return `${count(info.length, "info finding")} not shown: ${parts.join(", ")} (--verbose lists them)`;
}

export function summary(result: LintResult): string {
  const { error, warning, info } = result.counts;
  const verdict = result.failed ? "failed" : "passed";
  const why = result.failed && error === 0 ? " (warnings fail under --strict)" : "";
  return `igluc lint: ${count(result.schemas, "schema")} checked, ${count(error, "error")}, ` +
    `${count(warning, "warning")}, ${info} info: ${verdict}${why} (${(result.ms / 1000).toFixed(2)} s)`;
}

function jsonReport(result: LintResult): unknown {
  return {
    tool: "igluc lint",
    schemas: result.schemas,
    strict: result.strict,
    passed: !result.failed,
    counts: result.counts,
    findings: result.findings.map((d) => ({
      file: d.file ?? null, line: d.line ?? null, column: d.column ?? null,
      uri: d.uri ?? null, pointer: d.pointer ?? null,
      rule: d.code, level: d.level, message: d.message, hint: d.hint,
    })),
  };
}

const COMMAND: Readonly<Record<Diagnostic["level"], string>> = { error: "error", warning: "warning", info: "notice" };

/** `::error file=…,line=…,col=…,title=…::message` with GitHub's escaping of properties and data. */
export function githubCommand(d: Diagnostic): string {
  const props = [
    d.file !== undefined ? `file=${escapeProperty(printable(d.file))}` : undefined,
    d.line !== undefined ? `line=${d.line}` : undefined,
    d.column !== undefined ? `col=${d.column}` : undefined,
    `title=${escapeProperty(`igluc lint: ${d.code}`)}`,
  ].filter((p) => p !== undefined);
  const subject = d.uri === undefined ? "" : `${printable(d.uri)}${d.pointer === undefined ? "" : `#${printable(d.pointer)}`}: `;
  return `::${COMMAND[d.level]} ${props.join(",")}::${escapeData(`${subject}${printable(d.message)}\nhint: ${printable(d.hint)}`)}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
