import { useEffect, useRef, useState } from 'react';

interface Props {
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
}

/** A destructive action asks once more in place, and keeps keyboard focus on the question. */
export function ConfirmButton({ label, confirmLabel, onConfirm, disabled }: Props) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const answered = useRef(false);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (answered.current) startRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button ref={startRef} type="button" className="button" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={confirmLabel}>
      <button
        ref={confirmRef}
        type="button"
        className="button button-danger"
        onClick={() => {
          answered.current = true;
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button
        type="button"
        className="button"
        onClick={() => {
          answered.current = true;
          setAsking(false);
        }}
      >
        Keep
      </button>
    </span>
  );
}
