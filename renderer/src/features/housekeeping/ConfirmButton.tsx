// A button for something that cannot be undone: the first press asks, in place, and only "Yes" does it.
import { useEffect, useRef, useState } from 'react';

interface Props {
  /** What the first button says ("Remove project", "Delete"). */
  label: string;
  /** The question asked before doing it. */
  question: string;
  /** The accessible name of the first button when `label` alone is ambiguous (one Delete per row). */
  ariaLabel?: string;
  onConfirm: () => Promise<void>;
}

export function ConfirmButton({ label, question, ariaLabel, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const keep = useRef<HTMLButtonElement>(null);
  // Focus lands on the safe answer, so Enter twice never deletes.
  useEffect(() => {
    if (asking) keep.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" className="danger" aria-label={ariaLabel} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        type="button"
        className="danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await onConfirm();
          } catch (err) {
            setError((err as Error).message);
            setBusy(false);
          }
        }}
      >
        {busy ? 'Working…' : `Yes, ${label.toLowerCase()}`}
      </button>
      <button type="button" ref={keep} disabled={busy} onClick={() => (setAsking(false), setError(null))}>
        Keep
      </button>
      {error && (
        <span role="alert" className="error">
          {error}
        </span>
      )}
    </span>
  );
}
