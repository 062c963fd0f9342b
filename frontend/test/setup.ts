import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { mockNetwork } from './support/api-server';

// The cores are shared with the services under test; a busy machine must not turn a wait into a failure.
configure({ asyncUtilTimeout: 4000 });

// jsdom does not implement scrolling; route changes call it.
window.scrollTo = vi.fn();

// Requests leave through the real axios client and XMLHttpRequest; MSW answers them at the network boundary.
beforeAll(() => mockNetwork.listen({ onUnhandledRequest: 'error' }));

// The app loads every page (and the query cache) lazily. Loading them once here keeps the first test of a
// file from spending its waits on compiling those modules, which on a busy machine can take seconds.
beforeAll(async () => {
  const modules = { ...import.meta.glob('../src/pages/**/*.tsx'), ...import.meta.glob('../src/data-layer.tsx') };
  await Promise.all(Object.values(modules).map((load) => load()));
}, 60_000);

afterEach(() => {
  cleanup();
  mockNetwork.resetHandlers();
  localStorage.clear();
  sessionStorage.clear();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

afterAll(() => mockNetwork.close());
