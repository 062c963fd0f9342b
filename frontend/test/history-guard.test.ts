import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { guardHistory, isOnGuardEntry } from '../src/lib/history-guard';

// The browser's history in jsdom, with a listener standing for the router's (registered first, as React Router's is).
describe('history guard', () => {
  const router = vi.fn();
  let release: () => void = () => undefined;

  beforeEach(() => {
    window.history.replaceState({ idx: 0 }, '', '/seller');
    window.history.pushState({ idx: 1 }, '', '/seller/products/p1/edit');
    window.addEventListener('popstate', router);
  });
  afterEach(() => {
    release();
    window.removeEventListener('popstate', router);
    router.mockReset();
  });

  it('when Back is pressed with unsaved edits, then the router does not move until the user chooses to leave', async () => {
    const ask = vi.fn().mockReturnValue(false);
    release = guardHistory({ shouldAsk: () => true, ask });
    expect(isOnGuardEntry()).toBe(true);

    window.history.back();
    await vi.waitFor(() => expect(ask).toHaveBeenCalledTimes(1));
    expect(router).not.toHaveBeenCalled();
    expect(window.location.pathname).toBe('/seller/products/p1/edit');
    expect(isOnGuardEntry()).toBe(true);

    ask.mockReturnValue(true);
    window.history.back();
    await vi.waitFor(() => expect(router).toHaveBeenCalledTimes(1));
    expect(ask).toHaveBeenCalledTimes(2);
    expect(window.location.pathname).toBe('/seller');
  });

  it('when nothing is left unsaved, then Back leaves in one step without asking', async () => {
    const ask = vi.fn();
    release = guardHistory({ shouldAsk: () => false, ask });

    window.history.back();
    await vi.waitFor(() => expect(router).toHaveBeenCalledTimes(1));
    expect(ask).not.toHaveBeenCalled();
    expect(window.location.pathname).toBe('/seller');
  });

  it('when the app navigates from the guard, then the new page takes its place instead of stacking on it', () => {
    release = guardHistory({ shouldAsk: () => true, ask: () => true });
    const length = window.history.length;

    window.history.pushState({ idx: 2 }, '', '/seller?saved');
    expect(window.history.length).toBe(length);
    expect(isOnGuardEntry()).toBe(false);
    expect(window.location.search).toBe('?saved');

    release();
    window.history.pushState({ idx: 3 }, '', '/seller/sales');
    expect(window.history.length).toBe(length + 1);
  });
});
