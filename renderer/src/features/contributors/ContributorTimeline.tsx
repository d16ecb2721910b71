// One person's forge interaction over time: issues opened, answers, reviews and review comments per month as
// stacked bars in plain CSS (theme colours, so dark mode follows), like MonthBars, labelled for screen readers.
import type { InteractionMonth } from '../../../../shared/forge';

type Kind = Exclude<keyof InteractionMonth, 'month'>;

const KINDS: readonly { key: Kind; one: string; many: string; color: string }[] = [
  { key: 'issuesOpened', one: 'issue opened', many: 'issues opened', color: 'var(--accent)' },
  { key: 'answers', one: 'answer', many: 'answers', color: 'var(--ok)' },
  { key: 'reviews', one: 'review', many: 'reviews', color: 'var(--focus)' },
  { key: 'reviewComments', one: 'review comment', many: 'review comments', color: 'var(--muted)' },
];

/** The most months drawn (the latest ones). */
const MONTH_CAP = 240;

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
const total = (m: InteractionMonth) => m.issuesOpened + m.answers + m.reviews + m.reviewComments;
const summary = (m: InteractionMonth) =>
  KINDS.filter((k) => m[k.key] > 0)
    .map((k) => count(m[k.key], k.one, k.many))
    .join(', ');

/** Every month from the first to the last active one (empty ones zero), at most MONTH_CAP of the latest. */
function everyMonth(active: readonly InteractionMonth[]): InteractionMonth[] {
  if (active.length === 0) return [];
  const by = new Map(active.map((m) => [m.month, m]));
  const index = (month: string) => {
    const [y, m] = month.split('-').map(Number) as [number, number];
    return y * 12 + m - 1;
  };
  const from = index(active[0]!.month);
  const to = index(active.at(-1)!.month);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return [...active];
  const out: InteractionMonth[] = [];
  for (let i = Math.max(from, to - MONTH_CAP + 1); i <= to; i++) {
    const month = `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
    out.push(by.get(month) ?? { month, issuesOpened: 0, answers: 0, reviews: 0, reviewComments: 0 });
  }
  return out;
}

export function ContributorTimeline({ activity, name }: { activity: readonly InteractionMonth[]; name: string }) {
  const active = activity.filter((m) => total(m) > 0);
  const months = everyMonth(active);
  const max = Math.max(1, ...months.map(total));
  const label = `Forge interaction per month by ${name}`;
  const description =
    active.length === 0
      ? `${label}: none dated`
      : `${label}, ${count(active.length, 'month', 'months')}: ${active.map((m) => `${m.month} ${summary(m)}`).join('; ')}`;
  const sums = KINDS.map((k) => ({ ...k, n: active.reduce((s, m) => s + m[k.key], 0) }));
  return (
    <figure className="month-chart">
      <div className="month-bars" role="img" aria-label={description} data-months={active.length} data-testid="contributor-interaction-timeline">
        {months.map((m) => (
          <div key={m.month} className="month-bar" title={`${m.month}: ${summary(m) || 'nothing'}`}>
            <div style={{ width: '100%', height: `${(total(m) / max) * 100}%`, display: 'flex', flexDirection: 'column-reverse' }}>
              {KINDS.map((k) =>
                m[k.key] > 0 ? <div key={k.key} style={{ flex: `${m[k.key]} 0 0`, minHeight: 2, background: k.color }} /> : null,
              )}
            </div>
          </div>
        ))}
      </div>
      <figcaption className="muted small">
        <div className="row month-axis">
          <span>{months[0]?.month ?? ''}</span>
          <span>
            {label} · max {max.toLocaleString()} a month
          </span>
          <span>{months.length > 1 ? months.at(-1)!.month : ''}</span>
        </div>
        <ul className="legend" aria-label="Interaction kinds">
          {sums.map((k) => (
            <li key={k.key}>
              <span className="swatch" style={{ background: k.color }} aria-hidden="true" /> {count(k.n, k.one, k.many)}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
