import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['{app,workers,models,server}/**/*.test.ts'],
          exclude: ['**/*.model.test.ts', '**/node_modules/**'],
          globals: true,
        },
      },
      {
        // Real ONNX models (prepared by `npm run models`) on real photos, with onnxruntime-node.
        test: {
          name: 'models',
          environment: 'node',
          include: ['models/**/*.model.test.ts'],
          globals: true,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
