import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['{app,workers,models,server}/**/*.test.ts'],
          globals: true,
        },
      },
    ],
  },
})
