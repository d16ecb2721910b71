// Runs as CSV (RFC 4180): fixed columns, then one column per param and per metric any run has.
import type { Run } from '../../../shared/contract.js';

const FIXED = ['id', 'status', 'commit', 'backend', 'device', 'startedAt', 'seconds', 'epochsRun', 'bestEpoch', 'manifestHash', 'dataHash', 'seed'] as const;

export function runsToCsv(runs: readonly Run[]): string {
  const paramNames = [...new Set(runs.flatMap((r) => Object.keys(r.params ?? {})))];
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.metrics ?? {})))];
  const header = [...FIXED, ...paramNames.map((n) => `param.${n}`), ...metricNames.map((n) => `metric.${n}`)];
  const lines = [header.map(csvCell).join(',')];
  for (const r of runs) {
    const fixed = [r.id, r.status, r.commit, r.backend, r.device, r.startedAt, r.seconds, r.history.length, r.bestEpoch, r.manifestHash, r.dataHash, r.seed];
    const params = paramNames.map((n) => r.params?.[n] ?? null);
    const metrics = metricNames.map((n) => r.metrics?.[n] ?? null);
    lines.push([...fixed, ...params, ...metrics].map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/**
 * One cell: quoted when it holds a comma, quote or line break. A text cell starting with = + - @ (or a tab/CR) is
 * prefixed with ' so a spreadsheet does not run it as a formula: names and errors come from untrusted projects.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
