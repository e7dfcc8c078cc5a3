// Renders the app's PNG icons for the web app manifest from app/icon.svg (`npx tsx
// scripts/make-icons.ts`; the output is committed, a few KB each). The maskable icon fills the
// whole square with the brand colour and keeps the mark inside the central 80 % safe zone.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const svg = readFileSync(path.join(root, 'app/icon.svg'))
const out = (name: string) => path.join(root, 'public/icons', name)
const brand = '#4c6ef5'

for (const size of [192, 512]) {
  await sharp(svg, { density: 72 * (size / 64) })
    .resize(size, size)
    .png()
    .toFile(out(`icon-${size}.png`))
}
await sharp(svg, { density: 72 * (180 / 64) })
  .resize(180, 180)
  .flatten({ background: brand })
  .png()
  .toFile(out('apple-touch-icon.png'))

// Maskable: the mark at 70 % of the side on a full-bleed background.
const mark = await sharp(svg, { density: 72 * ((512 * 0.7) / 64) })
  .resize(Math.round(512 * 0.7))
  .png()
  .toBuffer()
await sharp({ create: { width: 512, height: 512, channels: 4, background: brand } })
  .composite([{ input: mark, gravity: 'center' }])
  .png()
  .toFile(out('maskable-512.png'))
console.log('icons written to public/icons')
