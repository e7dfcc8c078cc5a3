import { readFileSync } from 'node:fs'
import { unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { BackupFormatError } from './errors'
import { crc32, createZipWriter, entryBlob, readEntry, readZipDirectory } from './zip'

function fixture(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(new URL(`../../../fixtures/${name}`, import.meta.url)))
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const dog = fixture('dog.jpg')
const squirrel = fixture('squirrel.webp')
const text = new TextEncoder().encode('{"hello":"wörld"}')
const at = Date.UTC(2024, 4, 6, 12)

async function archiveOf(zip64: 'auto' | 'always' = 'auto') {
  const writer = createZipWriter({ zip64 })
  await writer.add('originals/dog', new Blob([dog], { type: 'image/jpeg' }), at)
  await writer.add('thumbnails/squirrel', new Blob([squirrel]), at)
  await writer.add('notes/wörld.json', text, at)
  return writer.finish()
}

async function bytesOf(blob: Blob) {
  return new Uint8Array(await blob.arrayBuffer())
}

describe(crc32, () => {
  it('gives the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array(0))).toBe(0)
  })
})

describe(createZipWriter, () => {
  it.each(['auto', 'always'] as const)(
    'writes an archive other tools read byte for byte (ZIP64 %s)',
    async (zip64) => {
      const files = unzipSync(await bytesOf(await archiveOf(zip64)))
      expect(Object.keys(files)).toEqual([
        'originals/dog',
        'thumbnails/squirrel',
        'notes/wörld.json',
      ])
      expect(base64(files['originals/dog']!)).toBe(base64(dog))
      expect(base64(files['thumbnails/squirrel']!)).toBe(base64(squirrel))
      expect(base64(files['notes/wörld.json']!)).toBe(base64(text))
    },
  )

  it('stores files uncompressed with their size and CRC in the local header', async () => {
    const archive = await bytesOf(await archiveOf())
    const header = new DataView(archive.buffer)
    expect(header.getUint32(0, true)).toBe(0x04034b50)
    expect(header.getUint16(6, true) & 0x08).toBe(0) // no data descriptor
    expect(header.getUint16(8, true)).toBe(0) // stored
    expect(header.getUint32(14, true)).toBe(crc32(dog))
    expect(header.getUint32(18, true)).toBe(dog.length)
    expect(archive.length).toBeLessThan(dog.length + squirrel.length + text.length + 400)
  })

  it('counts the bytes written so far', async () => {
    const writer = createZipWriter()
    await writer.add('dog', new Blob([dog]), at)
    expect(writer.bytes).toBe(30 + 'dog'.length + dog.length)
  })
})

describe(readZipDirectory, () => {
  it.each(['auto', 'always'] as const)(
    'lists the files with their sizes and reads each back (ZIP64 %s)',
    async (zip64) => {
      const archive = await archiveOf(zip64)
      const entries = await readZipDirectory(archive)
      expect([...entries.keys()]).toEqual([
        'originals/dog',
        'thumbnails/squirrel',
        'notes/wörld.json',
      ])
      const original = entries.get('originals/dog')!
      expect(original).toMatchObject({ bytes: dog.length, method: 0, crc: crc32(dog) })
      expect(base64(await readEntry(archive, original))).toBe(base64(dog))
      const blob = await entryBlob(archive, original, 'image/jpeg')
      expect(blob.type).toBe('image/jpeg')
      expect(base64(await bytesOf(blob))).toBe(base64(dog))
      expect(base64(await readEntry(archive, entries.get('notes/wörld.json')!))).toBe(base64(text))
    },
  )

  it('reads archives that other tools compressed', async () => {
    const archive = new Blob([
      zipSync({ 'a/dog.jpg': [dog, { level: 0 }], 'b.json': [text, { level: 9 }] }),
    ])
    const entries = await readZipDirectory(archive)
    expect(entries.get('b.json')!.method).toBe(8)
    expect(base64(await readEntry(archive, entries.get('b.json')!))).toBe(base64(text))
    const blob = await entryBlob(archive, entries.get('b.json')!, 'application/json')
    expect(await blob.text()).toBe('{"hello":"wörld"}')
    expect(base64(await readEntry(archive, entries.get('a/dog.jpg')!))).toBe(base64(dog))
  })

  it('refuses a file that is not a ZIP archive', async () => {
    await expect(readZipDirectory(new Blob([dog]))).rejects.toThrow(BackupFormatError)
    await expect(readZipDirectory(new Blob([]))).rejects.toThrow(/not a ZIP archive/)
  })

  it('refuses an archive cut short', async () => {
    const archive = await bytesOf(await archiveOf())
    await expect(readZipDirectory(new Blob([archive.subarray(0, 40_000)]))).rejects.toThrow(
      BackupFormatError,
    )
  })

  it('notices a changed byte in a file', async () => {
    const archive = await bytesOf(await archiveOf())
    archive[30 + 'originals/dog'.length + 1000]! ^= 0xff
    const blob = new Blob([archive])
    const entry = (await readZipDirectory(blob)).get('originals/dog')!
    await expect(readEntry(blob, entry)).rejects.toThrow(
      '"originals/dog" in this ZIP archive is damaged: its checksum does not match.',
    )
  })
})
