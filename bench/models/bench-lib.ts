// A typed view of the shared benchmark helpers in bench/lib.mjs. That file is plain JavaScript
// with JSDoc types, which TypeScript does not read here (allowJs is off), so this declares the
// part this benchmark uses and imports the module by URL.
import type { BrowserContext, Page } from 'playwright-core'

export interface BenchLib {
  /** The repository root. */
  root: string
  /** Chromium's launch options (e2e/chromium.json, headless); withFreshBrowser reads `args` per call. */
  launchOptions: { executablePath: string; args: string[]; headless: boolean }
  runBench(main: () => Promise<void>): Promise<void>
  addCleanup(fn: () => unknown): void
  removeCleanup(fn: () => unknown): void
  startServer(options: { build?: boolean; logFile: string }): Promise<string>
  withFreshBrowser<T>(
    fn: (context: BrowserContext, page: Page, browserPid: number) => Promise<T>,
  ): Promise<T>
  settle<T>(page: Page, promise: Promise<T>, what: string): Promise<T>
  chromiumVersion(): string
  gitCommit(): string | undefined
  medianOf(values: number[]): number
  positiveInt(options: Record<string, unknown>, name: string): number
  sha256(bytes: Uint8Array): string
  seconds(ms: number): string
}

const url = new URL('../lib.mjs', import.meta.url).href

/** bench/lib.mjs, typed. */
export const lib = (await import(url)) as BenchLib
