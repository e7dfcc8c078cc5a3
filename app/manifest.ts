import type { MetadataRoute } from 'next'
import { shareTargetPath, sharedFilesField } from '../workers/sw/share-target'

/** Brand blue of app/icon.svg: the installed app's title bar and splash screen. */
const brand = '#4c6ef5'

/** Image types the installed app opens from the file manager, as the import accepts them. */
const imageTypes: Record<string, string[]> = {
  'image/jpeg': ['.jpg', '.jpeg', '.jfif'],
  'image/png': ['.png'],
  'image/webp': ['.webp'],
  'image/gif': ['.gif'],
  'image/bmp': ['.bmp'],
  'image/avif': ['.avif'],
  'image/heic': ['.heic', '.heif'],
}

/** The web app manifest (`/manifest.webmanifest`): what the browser needs to install Sightline. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: '/',
    name: 'Sightline',
    short_name: 'Sightline',
    description: 'Your photo library and image analysis, private and on your own device.',
    start_url: '/library',
    scope: '/',
    display: 'standalone',
    orientation: 'any',
    background_color: '#ffffff',
    theme_color: brand,
    categories: ['photo', 'productivity', 'utilities'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    ],
    screenshots: [
      {
        src: '/screenshots/library-wide.webp',
        sizes: '1280x800',
        type: 'image/webp',
        form_factor: 'wide',
        label: 'The library: your photos, analysed on your device',
      },
      {
        src: '/screenshots/library-narrow.webp',
        sizes: '412x915',
        type: 'image/webp',
        form_factor: 'narrow',
        label: 'The library on a phone',
      },
    ],
    // Other apps' Share menus; the service worker receives the files (workers/sw/share-target.ts).
    share_target: {
      action: shareTargetPath,
      method: 'POST',
      enctype: 'multipart/form-data',
      params: {
        files: [
          { name: sharedFilesField, accept: ['image/*', ...Object.values(imageTypes).flat()] },
        ],
      },
    },
    // "Open with Sightline" in the file manager; the files arrive through `launchQueue`.
    file_handlers: [{ action: '/library', accept: imageTypes }],
    launch_handler: { client_mode: 'focus-existing' },
    shortcuts: [
      {
        name: 'Import images',
        short_name: 'Import',
        url: '/library?import=1',
        icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
      },
      {
        name: 'Library',
        url: '/library',
        icons: [{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' }],
      },
    ],
  }
}
