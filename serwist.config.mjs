// @ts-check
// The service worker build (`serwist build serwist.config.mjs`, after `next build`; see
// workers/sw.worker.ts). Precaches the prerendered pages, Next's static chunks and everything in
// public/: ONNX Runtime's wasm, opencv.js and the models, which is what offline analysis needs.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { serwist } from '@serwist/next/config'

/** Routes Next serves from app/ files, which the globs do not see. */
const routeFiles = [
  { url: '/manifest.webmanifest', file: '.next/server/app/manifest.webmanifest.body' },
]

export default serwist({
  swSrc: 'workers/sw.worker.ts',
  swDest: 'public/sw.js',
  // The 27 MB and 14 MB wasm builds and the models are the point: raise the 2 MiB default.
  maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
  globPatterns: [
    '.next/static/**/*.{js,mjs,css,wasm,ico,png,svg,webp,avif,jpg,jpeg,gif,json,webmanifest,woff,woff2}',
    'public/**/*',
  ],
  // Source maps are for the gateway's error reports; the worker's own sources are not served.
  // `/` only redirects to /library (the service worker does that itself offline).
  globIgnores: ['**/*.map', '.next/static/media/**/*.ts', '.next/server/app/index.html'],
  additionalPrecacheEntries: routeFiles.map(({ url, file }) => ({
    url,
    revision: createHash('md5').update(readFileSync(file)).digest('hex'),
  })),
})
