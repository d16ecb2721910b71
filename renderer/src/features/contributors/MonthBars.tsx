// Commits per month as a bar chart in plain CSS (theme colours, so dark mode follows), labelled for screen readers.
import type { MonthActivity } from '../../../../shared/impact';

/** Sums monthly activity (of several people) by month, oldest first. */
export function sumActivity(lists: readonly (readonly MonthActivity[])[]): MonthActivity[] {
  const by = new Map<string, MonthActivity>();
  for (const list of lists) {
    for (const m of list) {
      const t = by.get(m.month) ?? { month: m.month, commits: 0, linesAdded: 0, linesDeleted: 0 };
      t.commits += m.commits;
      t.linesAdded += m.linesAdded;
      t.linesDeleted += m.linesDeleted;
      by.set(m.month, t);
    }
  }
  return [...by.values()].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
}

/** Every month from the first to the last given (the empty ones with 0 commits), at most `cap` of the latest. */
function fillMonths(activity: readonly MonthActivity[], cap = 240): MonthActivity[] {
  if (activity.length === 0) return [];
  const by = new Map(activity.map((m) => [m.month, m]));
  const [y0, m0] = activity[0]!.month.split('-').map(Number) as [number, number];
  const [y1, m1] = activity.at(-1)!.month.split('-').map(Number) as [number, number];
  if (![y0, m0, y1, m1].every(Number.isFinite)) return [...activity];
  const out: MonthActivity[] = [];
  for (let i = y0 * 12 + m0 - 1; i <= y1 * 12 + m1 - 1; i++) {
    const month = `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
    out.push(by.get(month) ?? { month, commits: 0, linesAdded: 0, linesDeleted: 0 });
  }
  return out.slice(-cap);
}

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

export function MonthBars({ activity, label, testId }: { activity: readonly MonthActivity[]; label: string; testId?: string }) {
  const active = activity.filter((m) => m.commits > 0);
  const months = fillMonths(active);
  const max = Math.max(1, ...months.map((m) => m.commits));
  const description =
    active.length === 0
      ? `${label}: no commits`
      : `${label}, ${plural(active.length, 'month')}: ${active.map((m) => `${m.month} ${plural(m.commits, 'commit')}`).join(', ')}`;
  return (
    <figure className="month-chart">
      <div className="month-bars" role="img" aria-label={description} data-months={active.length} data-testid={testId}>
        {months.map((m) => (
          <div key={m.month} className="month-bar" title={`${m.month}: ${plural(m.commits, 'commit')}, +${m.linesAdded} / −${m.linesDeleted}`}>
            <div className="month-bar-fill" style={{ height: `${(m.commits / max) * 100}%`, minHeight: m.commits > 0 ? 2 : 0 }} />
          </div>
        ))}
      </div>
      <figcaption className="muted small row month-axis">
        <span>{months[0]?.month ?? ''}</span>
        <span>{label} · max {plural(max, 'commit')} a month</span>
        <span>{months.length > 1 ? months.at(-1)!.month : ''}</span>
      </figcaption>
    </figure>
  );
}
