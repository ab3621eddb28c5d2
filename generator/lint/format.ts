/**
 * Lint reports: for people, as GitHub Actions workflow commands, and as one
 * JSON document. Findings arrive sorted; nothing here depends on timing
 * except the human summary's duration.
 */
import { formatDiagnostic, printable, printableJson, type Diagnostic } from "../diagnostics.js";
import type { LintResult } from "./lint.js";

export type LintFormat = "human" | "github" | "json";

export function formatLintReport(result: LintResult, format: LintFormat): string {
  if (format === "json") return `${printableJson(JSON.stringify(jsonReport(result), null, 2))}\n`;
  const lines = result.findings.map(format === "github" ? githubCommand : formatDiagnostic);
  lines.push(summary(result));
  return `${lines.join("\n")}\n`;
}

export function summary(result: LintResult): string {
  const { error, warning, info } = result.counts;
  const verdict = result.failed ? "failed" : "passed";
  const why = result.failed && error === 0 ? " (warnings fail under --strict)" : "";
  return `igluc lint: ${result.schemas} schema${result.schemas === 1 ? "" : "s"} checked, ${error} error${error === 1 ? "" : "s"}, ` +
    `${warning} warning${warning === 1 ? "" : "s"}, ${info} info: ${verdict}${why} (${(result.ms / 1000).toFixed(2)} s)`;
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
