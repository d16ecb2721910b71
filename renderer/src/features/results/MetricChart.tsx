// The metric over commits as an SVG: a point per commit (oldest left) on the line of means, the 95 % interval as a
// band, a colour per author (legend), hollow points for commits that change nothing the model reads, ▲/▼ over
// commits beyond seed noise, the noise floor at HEAD and the trivial predictor as dashed lines. Every point is a
// button (Tab, Enter) that opens the commit's summary; choosing a person highlights their commits.
import type { KeyboardEvent } from 'react';
import type { ModelImpact, ModelImpactCommit } from '../../../../shared/impact';
import type { AuthorColor } from './author-colors';
import { metricText, shortSha, signed } from './format';

const W = 720;
const H = 260;
const pad = { left: 52, right: 40, top: 18, bottom: 40 };

interface Props {
  model: ModelImpact;
  colors: readonly AuthorColor[];
  selectedSha: string | null;
  person: string | null;
  onSelectCommit: (sha: string) => void;
  onSelectPerson: (email: string | null) => void;
}

/** What a point says to a screen reader (and as a tooltip). */
export function commitLabel(c: ModelImpactCommit, metric: string): string {
  const parts = [`Commit ${shortSha(c.sha)} by ${c.author}`];
  if (!c.touchesModel) parts.push('does not touch the model (docs-only), Δ 0');
  else parts.push(`${metric} ${metricText(c.metric.mean)}, Δ ${signed(c.delta.mean)}`, c.significant ? 'beyond seed noise' : 'within seed noise');
  return parts.join(', ');
}

export function MetricChart({ model, colors, selectedSha, person, onSelectCommit, onSelectPerson }: Props) {
  const commits = model.commits;
  const values = commits.flatMap((c) => [c.metric.low, c.metric.high]).concat(model.empty.mean, model.full.low, model.full.high);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1e-9) {
    lo -= 0.05;
    hi += 0.05;
  }
  const margin = (hi - lo) * 0.08;
  lo -= margin;
  hi += margin;
  const x = (i: number) => pad.left + (commits.length === 1 ? (W - pad.left - pad.right) / 2 : (i * (W - pad.left - pad.right)) / (commits.length - 1));
  const y = (v: number) => pad.top + ((hi - v) * (H - pad.top - pad.bottom)) / (hi - lo);
  const colorOf = new Map(colors.map((a) => [a.email, a.color]));
  const ticks = Array.from({ length: 5 }, (_, k) => lo + ((hi - lo) * k) / 4);
  const band = [...commits.map((c, i) => `${x(i)},${y(c.metric.high)}`), ...commits.map((c, i) => `${x(i)},${y(c.metric.low)}`).reverse()].join(' ');
  const line = commits.map((c, i) => `${i === 0 ? 'M' : 'L'}${x(i)},${y(c.metric.mean)}`).join(' ');
  // A larger invisible target around each point, never reaching the next one.
  const hitRadius = Math.max(4, Math.min(14, commits.length > 1 ? (x(1) - x(0)) / 2 : 14));
  const labelEvery = Math.max(1, Math.ceil(commits.length / 12));
  const headNoise = [model.full.mean - model.noise.halfWidth, model.full.mean + model.noise.halfWidth];

  const onKey = (e: KeyboardEvent, sha: string) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelectCommit(sha);
    }
  };

  return (
    <figure className="results-chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="group"
        aria-label={`${model.metric} per commit, oldest first, with 95 % intervals: ${commits.length} commits`}
        className="results-svg"
      >
        {ticks.map((t) => (
          <g key={t} aria-hidden="true">
            <line x1={pad.left} x2={W - pad.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={pad.left - 6} y={y(t) + 4} textAnchor="end" className="axis-text">
              {metricText(t)}
            </text>
          </g>
        ))}
        <polygon points={band} className="band" aria-hidden="true" />
        <path d={line} className="mean-line" aria-hidden="true" />
        <g aria-hidden="true">
          {headNoise.map((v) => (
            <line key={v} x1={pad.left} x2={W - pad.right} y1={y(v)} y2={y(v)} className="noise-line" />
          ))}
          <text x={pad.left + 4} y={y(headNoise[1]!) - 4} className="axis-text">
            noise floor at HEAD ±{metricText(model.noise.halfWidth)}
          </text>
          <line x1={pad.left} x2={W - pad.right} y1={y(model.empty.mean)} y2={y(model.empty.mean)} className="empty-line" />
          <text x={pad.left + 4} y={y(model.empty.mean) - 4} className="axis-text">
            nobody (trivial predictor) {metricText(model.empty.mean)}
          </text>
        </g>
        {commits.map((c, i) => {
          const color = colorOf.get(c.email) ?? '#999999';
          const mine = person !== null && c.credit.includes(person);
          const classes = ['point', c.touchesModel ? 'model' : 'docs-only', selectedSha === c.sha ? 'selected' : '', mine ? 'highlight' : '', person && !mine ? 'dim' : '']
            .filter(Boolean)
            .join(' ');
          return (
            <g
              key={c.sha}
              className={classes}
              data-sha={c.sha}
              role="button"
              tabIndex={0}
              aria-label={commitLabel(c, model.metric)}
              aria-pressed={selectedSha === c.sha}
              onClick={() => onSelectCommit(c.sha)}
              onKeyDown={(e) => onKey(e, c.sha)}
            >
              <title>{commitLabel(c, model.metric)}</title>
              <circle cx={x(i)} cy={y(c.metric.mean)} r={hitRadius} className="hit" />
              <circle cx={x(i)} cy={y(c.metric.mean)} r={11} className="ring" />
              <circle cx={x(i)} cy={y(c.metric.mean)} r={mine ? 8 : 6} className="dot" style={{ fill: c.touchesModel ? color : 'var(--bg)', stroke: color, strokeWidth: c.touchesModel ? 1 : 2.5 }} />
            </g>
          );
        })}
        <g aria-hidden="true">
          {commits.map((c, i) => (
            <g key={c.sha}>
              {c.significant && (
                <text x={x(i)} y={y(c.metric.high) - 6} textAnchor="middle" className="sig-mark">
                  {c.delta.mean < 0 ? '▼' : '▲'}
                </text>
              )}
              {i % labelEvery === 0 && (
                <text x={x(i)} y={H - pad.bottom + 16} textAnchor="middle" className="axis-text mono">
                  {shortSha(c.sha).slice(0, 7)}
                </text>
              )}
            </g>
          ))}
        </g>
      </svg>
      <figcaption>
        <ul className="legend" aria-label="Authors (choose one to highlight their commits)">
          {colors.map((a) => (
            <li key={a.email}>
              <button type="button" className="legend-item" aria-pressed={person === a.email} onClick={() => onSelectPerson(person === a.email ? null : a.email)}>
                <span className="swatch" style={{ background: a.color }} aria-hidden="true" />
                {a.name}
              </button>
            </li>
          ))}
          <li className="muted small">
            <span className="swatch hollow" aria-hidden="true" /> hollow: docs-only (changes nothing the model reads, Δ exactly 0, never trained) · ▲▼ beyond seed
            noise · band: 95 % interval over seeds
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
