// Renders the app's PNG icons for the web app manifest from app/icon.svg (`npx tsx
// scripts/make-icons.ts`; the output is committed, a few KB each). The maskable icon fills the
// whole square with the brand colour and keeps the mark inside the central 80 % safe zone.
import { readFileSync, writeFileSync } from 'node:fs'
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

// /favicon.ico: browsers ask for it on their own, whatever the page links (a 404 is a console
// error). An ICO file of PNG images (16, 32 and 48 px), which every current browser reads.
const favicons = await Promise.all(
  [16, 32, 48].map((size) =>
    sharp(svg, { density: 72 * (size / 64) })
      .resize(size, size)
      .png()
      .toBuffer(),
  ),
)
writeFileSync(path.join(root, 'public/favicon.ico'), ico(favicons, [16, 32, 48]))
console.log('icons written to public/icons and public/favicon.ico')

/** An ICO container (ICONDIR, one 16-byte ICONDIRENTRY per image, then the PNGs). */
function ico(pngs: Buffer[], sizes: number[]): Buffer {
  const header = Buffer.alloc(6 + 16 * pngs.length)
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(pngs.length, 4)
  let offset = header.length
  pngs.forEach((png, i) => {
    const entry = 6 + 16 * i
    header.writeUInt8(sizes[i]! % 256, entry) // width (0 means 256)
    header.writeUInt8(sizes[i]! % 256, entry + 1) // height
    header.writeUInt16LE(1, entry + 4) // colour planes
    header.writeUInt16LE(32, entry + 6) // bits per pixel
    header.writeUInt32LE(png.length, entry + 8)
    header.writeUInt32LE(offset, entry + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...pngs])
}
