import type { MetadataRoute } from 'next'

/** Brand blue of app/icon.svg: the installed app's title bar and splash screen. */
const brand = '#4c6ef5'

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
