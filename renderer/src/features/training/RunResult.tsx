// A run's outcome: while it trains, the warnings the data or the manifest raised; once finished, its test metrics
// and, for classification, the confusion matrix as a heatmap, the rows of each split and the epoch validation chose.
import type { Run } from '../../../../shared/contract';

export function RunResult({ run }: { run: Run }) {
  // Warnings are known when the run starts: shown while it trains, not only once it ends.
  if (run.status === 'running') return <RunWarnings warnings={run.warnings} />;
  if (run.status !== 'succeeded') {
    return (
      <>
        <p role="alert" className={run.status === 'cancelled' ? 'muted' : 'error'}>
          Run {run.status}: {run.error}
        </p>
        <RunWarnings warnings={run.warnings} />
      </>
    );
  }
  return (
    <div className="run-result">
      <RunWarnings warnings={run.warnings} />
      <table className="data-table metrics" aria-label="Test metrics">
        <caption>
          Test metrics · {run.backend} · {run.seconds?.toFixed(1)} s · {Math.round(run.samplesPerSecond ?? 0).toLocaleString()} samples/s
        </caption>
        <tbody>
          {Object.entries(run.metrics ?? {}).map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className="num">{v.toFixed(4)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {run.confusionMatrix && run.labels && <ConfusionMatrix matrix={run.confusionMatrix} labels={run.labels} />}
      {run.probes && run.probes.length > 0 && (
        <p className="muted run-facts" data-testid="probes">
          Chosen by measurement:{' '}
          {run.probes
            .map((p) => (p.samplesPerSecond !== null ? `${p.backend} ${Math.round(p.samplesPerSecond).toLocaleString()} samples/s` : `${p.backend}: ${p.reason}`))
            .join(' · ')}
        </p>
      )}
      {run.split && (
        <p className="muted run-facts" data-testid="split">
          Rows: {run.split.train.toLocaleString()} train · {run.split.validation.toLocaleString()} validation ·{' '}
          {run.split.test.toLocaleString()} test
          {run.bestEpoch !== null && <> · best validation epoch {run.bestEpoch}</>}
        </p>
      )}
      <p className="muted run-facts">
        Trained on {run.device ?? run.backend} at commit <span className="mono">{run.commit.slice(0, 8)}</span>
        {run.checkpoint && (
          <>
            {' '}· model saved in <span className="mono">{run.checkpoint}</span>
          </>
        )}
      </p>
    </div>
  );
}

function RunWarnings({ warnings }: { warnings: readonly string[] }) {
  if (!warnings.length) return null;
  return (
    <ul className="warn run-facts" aria-label="Warnings">
      {warnings.map((w) => (
        <li key={w}>
          {w}
        </li>
      ))}
    </ul>
  );
}

function ConfusionMatrix({ matrix, labels }: { matrix: number[][]; labels: string[] }) {
  const max = Math.max(1, ...matrix.flat());
  return (
    <table className="confusion" aria-label="Confusion matrix (rows: true class, columns: predicted class)">
      <caption>Confusion matrix · rows true, columns predicted</caption>
      <thead>
        <tr>
          <th />
          {labels.map((l) => (
            <th key={l} scope="col">
              {l}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {matrix.map((row, i) => (
          <tr key={labels[i]}>
            <th scope="row">{labels[i]}</th>
            {row.map((v, j) => (
              <td key={j} style={heat(v / max)}>
                {v}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A cell's colour: opaque blue from white (none) to #1d4ed8 (the most), and black or white text, whichever has the
 * contrast — split at relative luminance 0.179, where both have 4.58:1, so every cell meets WCAG AA in either scheme.
 */
function heat(share: number): { background: string; color: string } {
  const rgb = [29, 78, 216].map((c) => Math.round(255 - (255 - c) * share));
  const linear = rgb.map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
  const luminance = 0.2126 * linear[0]! + 0.7152 * linear[1]! + 0.0722 * linear[2]!;
  return { background: `rgb(${rgb.join(',')})`, color: luminance < 0.179 ? '#fff' : '#000' };
}
