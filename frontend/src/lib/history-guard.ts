const MARK = 'unsavedChangesGuard';

type PushState = History['pushState'];

const stateOf = (): Record<string, unknown> | null => {
  const state: unknown = window.history.state;
  return typeof state === 'object' && state !== null ? (state as Record<string, unknown>) : null;
};

/** React Router numbers its entries (`idx`); a guard entry carries its page's number. */
const indexOfState = (): number | null => {
  const idx = stateOf()?.idx;
  return typeof idx === 'number' ? idx : null;
};

export const isOnGuardEntry = (): boolean => stateOf()?.[MARK] === true;

/**
 * Keeps the browser's Back button on the page while it holds unsaved changes, without a data router.
 * A copy of the page's history entry (same URL and router state, marked) is pushed on top of it, so
 * Back first lands on the page's own entry: that move is hidden from the router (a capturing popstate
 * listener on window runs before the router's), and then `ask()` decides — stay re-pushes the guard,
 * leave takes the real step back. A navigation inside the app (a link, a save) replaces the guard
 * instead of stacking on it, so no extra entry stays behind. Returns the function that takes it down;
 * the guard entry itself stays (a page mounted on it reuses it).
 */
export function guardHistory({ shouldAsk, ask }: { shouldAsk: () => boolean; ask: () => boolean }): () => void {
  const { history } = window;
  if (!isOnGuardEntry()) history.pushState({ ...stateOf(), [MARK]: true }, '', window.location.href);
  const guardState = stateOf();
  const guardIndex = indexOfState();
  const hadOwnPush = Object.hasOwn(history, 'pushState'); // another patch to keep, else the prototype's
  const push: PushState = history.pushState.bind(history);

  const pushFromGuard: PushState = (data, unused, url) => {
    if (isOnGuardEntry()) history.replaceState(data, unused, url);
    else push(data, unused, url);
  };

  const release = () => {
    window.removeEventListener('popstate', onPopState, true);
    if (history.pushState !== pushFromGuard) return;
    if (hadOwnPush) history.pushState = push;
    else Reflect.deleteProperty(history, 'pushState');
  };

  function onPopState(event: PopStateEvent) {
    if (isOnGuardEntry()) {
      event.stopImmediatePropagation(); // back on the guard after staying: nothing moved for the router
      return;
    }
    const to = indexOfState();
    const oneStepBack = to === null || guardIndex === null || to === guardIndex;
    if (!oneStepBack && to > guardIndex) return release(); // forward past the guard: not a way out of the page
    event.stopImmediatePropagation();
    if (shouldAsk() && !ask()) {
      if (oneStepBack) push(guardState, '', window.location.href);
      else history.go(guardIndex + 1 - to);
      return;
    }
    release();
    if (oneStepBack) history.back();
    else window.dispatchEvent(new PopStateEvent('popstate', { state: stateOf() }));
  }

  history.pushState = pushFromGuard;
  window.addEventListener('popstate', onPopState, true);
  return release;
}
