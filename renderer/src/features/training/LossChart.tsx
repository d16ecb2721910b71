// The live loss curve (training and test loss per epoch), drawn with uPlot.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EpochRecord } from '../../../../shared/contract';

export function LossChart({ history }: { history: EpochRecord[] }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = host.current!;
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
    const axis = { stroke: dark ? '#c9d1d9' : '#333', grid: { stroke: dark ? '#30363d' : '#e5e5e5' } };
    plot.current = new uPlot(
      {
        width: Math.max(300, el.clientWidth),
        height: 240,
        scales: { x: { time: false } },
        axes: [{ ...axis, label: 'epoch' }, { ...axis, label: 'loss' }],
        series: [
          { label: 'epoch' },
          { label: 'train loss', stroke: '#3b82f6', width: 2 },
          { label: 'test loss', stroke: '#f97316', width: 2 },
        ],
      },
      [[], [], []],
      el,
    );
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(300, el.clientWidth), height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData([history.map((h) => h.epoch), history.map((h) => h.loss), history.map((h) => h.valLoss)]);
  }, [history]);

  return (
    <figure className="chart">
      <div ref={host} role="img" aria-label={`Loss per epoch, ${history.length} epochs so far`} data-epochs={history.length} />
    </figure>
  );
}
