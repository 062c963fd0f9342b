import { useEffect, useRef, useState } from 'react';
import { guardHistory, isOnGuardEntry } from './history-guard';

export const LEAVE_QUESTION = 'You have unsaved changes. Leave this page and lose them?';

/**
 * While `dirty`, leaving the page asks first: closing or reloading the tab through the browser's
 * own question (beforeunload), following a link inside the app and the browser's Back button
 * through a confirm. The router here is not a data router (its blocker would cost the first bundle
 * about 20 kB), so a link click is caught before React Router sees it and Back meets a guard entry
 * in the history (see history-guard.ts), kept from the first edit until the page is left.
 */
export function useUnsavedChangesWarning(dirty: boolean): void {
  const dirtyRef = useRef(dirty);
  useEffect(() => {
    dirtyRef.current = dirty;
  });
  // A reload while on the guard entry starts the page on it: it is used, not stacked on.
  const [guarding, setGuarding] = useState(isOnGuardEntry);
  if (dirty && !guarding) setGuarding(true);

  useEffect(() => {
    if (!guarding) return;
    return guardHistory({ shouldAsk: () => dirtyRef.current, ask: () => window.confirm(LEAVE_QUESTION) });
  }, [guarding]);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    const onClick = (event: MouseEvent) => {
      const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!link || link.getAttribute('target') === '_blank' || link.hasAttribute('download')) return;
      if (window.confirm(LEAVE_QUESTION)) return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [dirty]);
}
