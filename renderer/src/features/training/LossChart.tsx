// The live curves of a run: training and validation loss (left axis) and the validation metric (accuracy or R²,
// right axis) per epoch, drawn with uPlot. The test split is never on the curves: it is scored once, at the end.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EpochRecord } from '../../../../shared/contract';

export function LossChart({ history, primaryMetric }: { history: EpochRecord[]; primaryMetric?: string | null }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The manifest's primary metric when the epochs record it, else the first one they have.
  const recorded = Object.keys(history.at(-1)?.metrics ?? {});
  const metricName = primaryMetric && recorded.includes(primaryMetric) ? primaryMetric : (recorded[0] ?? primaryMetric ?? 'metric');

  useEffect(() => {
    const el = host.current!;
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
    const axis = { stroke: dark ? '#c9d1d9' : '#333', grid: { stroke: dark ? '#30363d' : '#e5e5e5' } };
    plot.current = new uPlot(
      {
        width: Math.max(300, el.clientWidth),
        height: 240,
        scales: { x: { time: false }, loss: { auto: true }, metric: unbounded.has(metricName) ? { auto: true } : { auto: false, range: [0, 1] } },
        axes: [
          { ...axis, label: 'epoch' },
          { ...axis, label: 'loss', scale: 'loss' },
          { ...axis, label: metricName, scale: 'metric', side: 1, grid: { show: false } },
        ],
        series: [
          { label: 'epoch' },
          { label: 'train loss', stroke: '#3b82f6', width: 2, scale: 'loss' },
          { label: 'validation loss', stroke: '#f97316', width: 2, scale: 'loss' },
          { label: `validation ${metricName}`, stroke: '#22c55e', width: 2, dash: [6, 4], scale: 'metric' },
        ],
      },
      [[], [], [], []],
      el,
    );
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(300, el.clientWidth), height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [metricName]);

  useEffect(() => {
    plot.current?.setData([
      history.map((h) => h.epoch),
      history.map((h) => h.loss),
      history.map((h) => h.valLoss),
      history.map((h) => h.metrics[metricName] ?? null),
    ]);
  }, [history, metricName]);

  return (
    <figure className="chart">
      <div
        ref={host}
        role="img"
        aria-label={`Loss and ${metricName} per epoch (training and validation loss, validation ${metricName}), ${history.length} epochs so far`}
        data-epochs={history.length}
      />
    </figure>
  );
}

/** Metrics not between 0 and 1 (losses and errors): their axis follows the values. */
const unbounded = new Set(['log_loss', 'mse', 'rmse', 'mae']);
