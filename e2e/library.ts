import { expect, type Page } from '@playwright/test'

/** Opens the viewer on the image called `name` by double-clicking its grid cell. */
export async function openViewer(page: Page, name: string) {
  await page.getByRole('gridcell', { name }).dblclick()
  const viewer = page.getByRole('dialog', { name })
  await expect(viewer).toBeVisible()
  return viewer
}
