import { defineConfig, devices } from '@playwright/test';

// The browser is the distribution's Chromium (CHROMIUM_PATH), never one Playwright downloads.
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const baseURL = process.env.E2E_BASE_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  // Two cores are shared with the services and nginx under test.
  workers: process.env.E2E_WORKERS ? Number(process.env.E2E_WORKERS) : 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    video: 'off',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    { name: 'chromium', testIgnore: /phone\.spec\.ts$/, use: { ...devices['Desktop Chrome'], channel: undefined } },
    // The main journeys again on a small phone's screen (360 × 740 CSS pixels, touch): e2e/phone.spec.ts.
    {
      name: 'phone',
      testMatch: /phone\.spec\.ts$/,
      // Each journey runs axe on four or five pages in one test.
      timeout: 120_000,
      use: {
        ...devices['Desktop Chrome'],
        channel: undefined,
        viewport: { width: 360, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      },
    },
  ],
});
