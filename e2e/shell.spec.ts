import { expect, test, type Page } from '@playwright/test'

const screens = ['Library', 'Analysis', 'Models', 'Monitoring', 'Settings'] as const

/** The path a screen lives at: `Library` → `/library`. */
const pathOf = (screen: string) => `/${screen.toLowerCase()}`

/** Matches a URL whose path is exactly `path` (any query or hash). */
const atPath = (path: string) => (url: URL) => url.pathname === path

const navLink = (page: Page, name: string) =>
  page.getByRole('navigation').getByRole('link', { name, exact: true })

/**
 * Collects uncaught page errors and console errors (React reports hydration errors there), except
 * the browser's own request for a favicon the app does not have.
 */
function watchForErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    const { url } = message.location()
    if (url && new URL(url).pathname === '/favicon.ico') return
    errors.push(`console.error: ${message.text()}${url ? ` (${url})` : ''}`)
  })
  return errors
}

test.describe('app shell', () => {
  test('opens on the Library screen', async ({ page }) => {
    const errors = watchForErrors(page)
    await page.goto('/')

    await expect(page).toHaveURL(atPath('/library'))
    await expect(navLink(page, 'Library')).toHaveAttribute('aria-current', 'page')
    expect(errors).toEqual([])
  })

  test('navigates between the screens from the navigation', async ({ page }) => {
    const errors = watchForErrors(page)
    await page.goto('/library')

    for (const screen of [...screens.slice(1), screens[0]]) {
      const link = navLink(page, screen)
      await expect(link).toBeVisible()
      await link.click()
      await expect(page).toHaveURL(atPath(pathOf(screen)))
      await expect(link).toHaveAttribute('aria-current', 'page')
    }
    expect(errors).toEqual([])
  })

  test('is cross-origin isolated', async ({ page }) => {
    const response = await page.goto('/library')

    expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin')
    expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp')
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true)
  })
})

test.describe('app shell on a phone', () => {
  test.use({ viewport: { width: 375, height: 740 } })

  test('reaches the navigation through the burger button', async ({ page }) => {
    const errors = watchForErrors(page)
    await page.goto('/library')

    const analysis = navLink(page, 'Analysis')
    await expect(analysis).not.toBeInViewport()

    await page.getByRole('button', { name: 'Open navigation' }).click()
    for (const screen of screens) await expect(navLink(page, screen)).toBeInViewport()

    await analysis.click()
    await expect(page).toHaveURL(atPath('/analysis'))
    expect(errors).toEqual([])
  })
})
