import { expect, type Page } from '@playwright/test'

/**
 * The suite's admin: the gateway's first account is its admin, and every spec that needs one
 * signs in as this account, creating it when it runs first. One name per run of the suite
 * (playwright.config.ts sets E2E_RUN once, in the runner).
 */
const run = process.env.E2E_RUN ?? Date.now().toString(36)
export const password = 'correct horse battery'
export const admin = `alice-${run}@example.com`

/** Signs the page's context in as the admin (creating the account if it does not exist yet). */
export async function signInAsAdmin(page: Page): Promise<{ role: string }> {
  const credentials = { data: { email: admin, password } }
  let response = await page.request.post('/api/auth/sign-in', credentials)
  if (response.status() === 401) {
    response = await page.request.post('/api/auth/sign-up', credentials)
  }
  expect(response.ok(), await response.text()).toBe(true)
  const { user } = (await response.json()) as { user: { role: string } }
  await page.goto('/settings')
  await expect(page.getByText(`Signed in as ${admin}`)).toBeVisible()
  return user
}

/** Waits until the device has pushed everything and finished a sync. */
export async function synced(page: Page): Promise<void> {
  const indicator = page.getByTestId('sync-indicator')
  await expect(indicator).toHaveAttribute('data-phase', 'idle', { timeout: 60_000 })
  await expect(indicator).toHaveAttribute('aria-label', 'Synced', { timeout: 60_000 })
}
