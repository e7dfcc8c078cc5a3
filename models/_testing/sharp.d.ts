// sharp 0.35's package.json `exports` lists no types for `import`, so TypeScript's bundler
// resolution cannot find its typings; this re-exports them without changing runtime resolution.
declare module 'sharp' {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the one way to re-export `export =` typings
  import sharp = require('../../node_modules/sharp/lib/index')
  export = sharp
}
