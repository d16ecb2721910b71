// Human output on a terminal, JSON alone on stdout for scripts, progress always on stderr. Every human line goes
// through terminalText, since names, paths and catalog fields come from untrusted repositories.
import { terminalText } from './terminal-text.js';

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** One human-readable line on stdout, its terminal controls (and any embedded newline) shown as escapes. */
export function printLine(line: string): void {
  process.stdout.write(terminalText(line) + '\n');
}

/** One line on stderr (warnings, the top-level error), escaped like printLine. */
export function printError(line: string): void {
  process.stderr.write(terminalText(line) + '\n');
}

export function progress(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${terminalText(line)}`);
  else process.stderr.write(terminalText(line) + '\n');
}

export function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}

export function bar(fraction: number, width = 24): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
