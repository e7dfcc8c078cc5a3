import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { defineConfig } from '@playwright/test'
// Debian's Chromium with the flags this closed network needs; bench/lib.mjs reads them too.
import chromium from './e2e/chromium.json' with { type: 'json' }

/**
 * Browser end-to-end tests: real Debian Chromium against the production build (`next start`).
 * Run `next build` first; `npm test` does both (scripts/test.mjs).
 *
 * - `E2E_BASE_URL=http://localhost:3000 npm run test:e2e` tests a server you started yourself.
 * - Otherwise Playwright starts the app and gateway (`server/serve-app.ts`) on a free port with a
 *   fresh data folder, and stops its whole process group afterwards.
 */

const externalBaseURL = process.env.E2E_BASE_URL

// The config is evaluated in the runner and again in every worker: the runner picks the port
// once and puts it in the environment, which the workers inherit.
// One name for the suite's admin account (e2e/accounts.ts), shared by every spec of this run.
process.env.E2E_RUN ??= Date.now().toString(36)
if (!externalBaseURL && !process.env.E2E_PORT) {
  process.env.E2E_PORT = String(freePort())
  // Every run starts with an empty gateway: no accounts, no synced data.
  process.env.E2E_DATA_DIR = mkdtempSync(path.join(tmpdir(), 'sightline-e2e-'))
}
const port = Number(process.env.E2E_PORT)
const baseURL = externalBaseURL ?? `http://127.0.0.1:${port}`

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1, // two cores: the server and Chromium already share them
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  globalTimeout: 25 * 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: '.reports/playwright.json' }]],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    baseURL,
    launchOptions: chromium,
    acceptDownloads: true,
    // The service worker precaches 90 MB on a first visit; the specs about offline use and
    // installation allow it (test.use), the others test the app without it.
    serviceWorkers: 'block',
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
  },
  projects: [{ name: 'chromium' }],
  webServer: externalBaseURL
    ? undefined
    : {
        // The app and the gateway on one port, as `npm start` serves them.
        command: 'node node_modules/tsx/dist/cli.mjs server/serve-app.ts',
        url: `${baseURL}/api/ready`,
        env: {
          NEXT_TELEMETRY_DISABLED: '1',
          HOST: '127.0.0.1',
          PORT: String(port),
          SIGHTLINE_DATA_DIR: process.env.E2E_DATA_DIR ?? '',
          LOG_LEVEL: 'warn',
        },
        reuseExistingServer: false, // never test whatever old build is still listening
        timeout: 60_000,
        stdout: 'ignore',
        stderr: 'pipe',
        gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
      },
})

/** A TCP port that is free right now on 127.0.0.1 (the config must be synchronous). */
function freePort(): number {
  const script =
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }))
}
