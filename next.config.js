import { readFileSync } from 'node:fs'

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'))

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // For the gateway, which maps error reports' stack frames back to the source
  // (server/telemetry/symbolicate.ts); server/serve-app.ts does not serve them.
  productionBrowserSourceMaps: true,
  // Error reports and inference figures are labelled with it (app/_lib/telemetry).
  env: { NEXT_PUBLIC_SIGHTLINE_RELEASE: `sightline@${version}` },
  turbopack: {
    // ONNX Runtime's default builds embed a `new URL('…wasm', import.meta.url)` that makes the
    // bundler emit 41 MB of wasm the app never loads: it loads the copies in public/vendor/ort
    // (wasmPaths in workers/runtime/ort.ts). These builds load everything from wasmPaths.
    resolveAlias: {
      'onnxruntime-web/wasm': './node_modules/onnxruntime-web/dist/ort.wasm.min.mjs',
      'onnxruntime-web/webgpu': './node_modules/onnxruntime-web/dist/ort.webgpu.min.mjs',
    },
  },
  experimental: {
    optimizePackageImports: ['@mantine/core', '@mantine/hooks', '@tabler/icons-react'],
  },
  // Cross-origin isolation lets later WASM inference use threads (SharedArrayBuffer).
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
          { key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'no-referrer' },
        ],
      },
    ]
  },
}

export default nextConfig
