// An accessible progress bar; `value` null shows an indeterminate bar.
export function ProgressBar({ label, value }: { label: string; value: number | null }) {
  const percent = value === null ? undefined : Math.round(value * 100);
  return (
    <div className="progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className={value === null ? 'bar indeterminate' : 'bar'}
      >
        <div className="fill" style={{ width: `${percent ?? 30}%` }} />
      </div>
      <span className="progress-label">{label}</span>
    </div>
  );
}
