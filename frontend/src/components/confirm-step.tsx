import { useEffect, useRef, type KeyboardEvent } from 'react';

interface Props {
  question: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A question asked in place before a change that matters (a role, an account's access): focus goes
 * to the answer, Escape or the cancel button leaves everything as it was.
 */
export function ConfirmStep({ question, confirmLabel, cancelLabel, onConfirm, onCancel }: Props) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onCancel();
    }
  };
  return (
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions -- Escape is a shortcut for the Cancel button
    <div className="confirm confirm-step" role="alertdialog" aria-label={question} onKeyDown={onKeyDown}>
      <p>{question}</p>
      <button ref={confirmRef} type="button" className="button button-danger" onClick={onConfirm}>
        {confirmLabel}
      </button>
      <button type="button" className="button" onClick={onCancel}>
        {cancelLabel}
      </button>
    </div>
  );
}
