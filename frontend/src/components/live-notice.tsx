export interface Notice {
  text: string;
  error: boolean;
}

/** The outcome of the last action on a screen, announced by screen readers as it changes. */
export function LiveNotice({ notice }: { notice: Notice | null }) {
  return (
    <div aria-live="polite">
      {notice && <p className={notice.error ? 'notice notice-error' : 'notice notice-info'}>{notice.text}</p>}
    </div>
  );
}
