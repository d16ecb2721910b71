// Reads git's own progress meters ("Receiving objects:  45% (450/1000), 1.20 MiB | 500.00 KiB/s") into
// typed events, with an overall percent across the phases of a clone or fetch.

export type TransferPhase = 'counting' | 'compressing' | 'receiving' | 'resolving' | 'checking-out' | 'other';

export interface CloneProgress {
  /** git's first word for the phase, lowercased: "counting", "receiving", "resolving", "updating"... */
  stage: string;
  /** Percent of this phase, 0–100. */
  percent: number;
  processed: number | null;
  total: number | null;
  readonly phase: TransferPhase;
  /** Percent of the whole transfer, 0–100, never going back. */
  readonly overallPercent: number;
  /** Bytes received so far, when git says (receiving phase). */
  readonly bytes: number | null;
  /** Throughput git measured, in bytes per second, when git says. */
  readonly bytesPerSecond: number | null;
}

const METER = /^(?:remote:\s*)?([A-Za-z][A-Za-z ]*?):\s+(\d{1,3})% \((\d+)\/(\d+)\)(?:,\s*([\d.]+)\s*(bytes|[KMGT]iB))?(?:\s*\|\s*([\d.]+)\s*(bytes|[KMGT]iB)\/s)?/;

const UNIT: Record<string, number> = { bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

/** Where each phase sits in the overall percent: [start, end]. */
const SPAN: Record<TransferPhase, readonly [number, number]> = {
  counting: [0, 2],
  compressing: [2, 5],
  receiving: [5, 85],
  resolving: [85, 95],
  'checking-out': [95, 100],
  other: [0, 0],
};

function phaseOf(words: string): TransferPhase {
  const w = words.toLowerCase();
  if (w.startsWith('counting') || w.startsWith('enumerating')) return 'counting';
  if (w.startsWith('compressing')) return 'compressing';
  if (w.startsWith('receiving')) return 'receiving';
  if (w.startsWith('resolving')) return 'resolving';
  if (w.startsWith('updating files') || w.startsWith('checking out')) return 'checking-out';
  return 'other';
}

const bytesOf = (value: string | undefined, unit: string | undefined): number | null =>
  value === undefined || unit === undefined ? null : Math.round(Number(value) * (UNIT[unit] ?? 1));

/** Parses one progress line of git's stderr; null for anything that is not a meter. */
export function parseProgressLine(line: string): Omit<CloneProgress, 'overallPercent'> | null {
  const m = METER.exec(line.trim());
  if (!m) return null;
  const words = m[1] ?? '';
  return {
    stage: words.toLowerCase().split(' ', 1)[0] || 'unknown',
    percent: Math.min(100, Number(m[2])),
    processed: Number(m[3]),
    total: Number(m[4]),
    phase: phaseOf(words),
    bytes: bytesOf(m[5], m[6]),
    bytesPerSecond: bytesOf(m[7], m[8]),
  };
}

/** A stateful reader: feed it stderr lines, it calls `emit` with each meter and a monotonic overall percent. */
export function progressReader(emit: ((p: CloneProgress) => void) | undefined): (line: string) => void {
  let overall = 0;
  let lastKey = '';
  return (line) => {
    if (!emit) return;
    const p = parseProgressLine(line);
    if (!p) return;
    const key = `${p.stage}:${p.percent}:${p.processed}:${p.bytes}`;
    if (key === lastKey) return; // git repeats a meter when only the throughput changed by nothing
    lastKey = key;
    const [from, to] = SPAN[p.phase];
    if (p.phase !== 'other') overall = Math.max(overall, from + ((to - from) * p.percent) / 100);
    emit({ ...p, overallPercent: Math.round(overall * 10) / 10 });
  };
}
