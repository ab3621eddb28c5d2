/**
 * Running a fixture script as a real Node process, to its end: what it
 * printed, its exit code, and how long it took. A script that does not end
 * within its limit is killed and the test fails.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "./iglu.js";

export interface Run {
  readonly lines: string[];
  readonly code: number | null;
  readonly tookMs: number;
}

/** Runs the fixture to its end (killing it after `limitMs`, which fails the test); `onLine` sees each line as it comes. */
export function runScript(fixture: string, args: unknown, onLine?: (line: string) => void, limitMs = 30_000): Promise<Run> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, fixture), JSON.stringify(args)], { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  let buffer = "";
  child.stdout.on("data", (d: Buffer) => {
    buffer += d.toString();
    const parts = buffer.split("\n");
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      onLine?.(line);
    }
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${fixture} did not exit within ${limitMs} ms; printed: ${lines.join(" | ")}`));
    }, limitMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ lines, code, tookMs: Date.now() - started });
    });
  });
}

