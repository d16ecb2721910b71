// The seed score C = α·G + β·D + γ·PQ and each contributor's normalized share. Every component is the
// contributor's fraction of the project's total for it, so the weights compare like with like (README.md).

export interface ImpactWeights {
  /** Weight of G, the code (code + tests + config). */
  readonly alpha: number;
  /** Weight of D, docs and data. */
  readonly beta: number;
  /** Weight of PQ, interaction (reviews and co-authoring). */
  readonly gamma: number;
}

export const DEFAULT_WEIGHTS: ImpactWeights = Object.freeze({ alpha: 0.6, beta: 0.25, gamma: 0.15 });

/** What the score reads for one contributor (credit of co-authored commits already split). */
export interface ScoreInput {
  /** Commits touching code, tests or config (fractional when co-authored). */
  readonly codeCommits: number;
  /** Lines added + deleted in code, tests and config (fractional when co-authored). */
  readonly codeLines: number;
  /** Commits touching docs or data. */
  readonly docCommits: number;
  /** Lines added + deleted in docs and data. */
  readonly docLines: number;
  /** Reviews (Reviewed-by, Acked-by, Tested-by, another's Signed-off-by) plus co-authored commits. */
  readonly interactions: number;
}

/** The score's parts before weighting: score = α·g + β·d + γ·pq (lets a UI re-score for new weights). */
export interface ScoreComponents {
  readonly g: number;
  readonly d: number;
  readonly pq: number;
}

export interface Score {
  readonly score: number;
  readonly share: number;
  readonly components: ScoreComponents;
}

/** Fills in missing weights from the defaults; rejects negative or non-finite ones. */
export function resolveWeights(weights: Partial<ImpactWeights> = {}): ImpactWeights {
  const out = { ...DEFAULT_WEIGHTS, ...Object.fromEntries(Object.entries(weights).filter(([, v]) => v !== undefined)) };
  for (const key of ['alpha', 'beta', 'gamma'] as const) {
    const v = out[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`Weight ${key} must be a finite number ≥ 0, got ${String(v)}`);
  }
  return { alpha: out.alpha, beta: out.beta, gamma: out.gamma };
}

/**
 * G = ½·(share of code commits) + ½·(share of code lines), D likewise for docs and data, PQ = share of
 * interactions. A component nobody has is 0 for everyone (a half nobody has, e.g. lines when only binary
 * files changed, leaves the other half whole). share = score / Σscore; when every score is 0
 * (no activity or all weights 0) the shares are equal, so they always sum to 1 for a non-empty list.
 */
export function scoreContributors(inputs: readonly ScoreInput[], weights: ImpactWeights): Score[] {
  const total = (pick: (i: ScoreInput) => number) => inputs.reduce((sum, i) => sum + pick(i), 0);
  const fraction = (value: number, sum: number) => (sum > 0 ? value / sum : 0);
  const totals = {
    codeCommits: total((i) => i.codeCommits),
    codeLines: total((i) => i.codeLines),
    docCommits: total((i) => i.docCommits),
    docLines: total((i) => i.docLines),
    interactions: total((i) => i.interactions),
  };
  const half = (commits: number, commitsTotal: number, lines: number, linesTotal: number) => {
    const parts = [commitsTotal > 0 ? fraction(commits, commitsTotal) : null, linesTotal > 0 ? fraction(lines, linesTotal) : null].filter(
      (p): p is number => p !== null,
    );
    return parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : 0;
  };
  const parts = inputs.map((i) => ({
    g: half(i.codeCommits, totals.codeCommits, i.codeLines, totals.codeLines),
    d: half(i.docCommits, totals.docCommits, i.docLines, totals.docLines),
    pq: fraction(i.interactions, totals.interactions),
  }));
  const scores = parts.map((c) => weights.alpha * c.g + weights.beta * c.d + weights.gamma * c.pq);
  const sum = scores.reduce((a, b) => a + b, 0);
  return scores.map((score, i) => ({ score, share: sum > 0 ? score / sum : inputs.length > 0 ? 1 / inputs.length : 0, components: parts[i]! }));
}
