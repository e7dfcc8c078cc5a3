import js from '@eslint/js'
import next from 'eslint-config-next/core-web-vitals'
import tseslint from 'typescript-eslint'

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })

export default tseslint.config(
  {
    ignores: [
      '.next/**',
      'out/**',
      'node_modules/**',
      'public/vendor/**',
      'public/sw.js',
      'next-env.d.ts',
      'test-results/**',
      'playwright-report/**',
      'bench/import/.work/**',
      'bench/grid/.work/**',
      'bench/models/.work/**',
      'bench/cold-start/.work/**',
      '.cache/**',
      '.scratch/**',
      'public/models/**',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...next,
  {
    rules: {
      curly: ['error', 'multi-line'],
      'prefer-const': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: { '@typescript-eslint/consistent-type-imports': 'error' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly' },
    },
  },
  {
    files: ['models/**'],
    rules: restrict([
      {
        group: ['**/app/**', '**/workers/**', '**/server/**'],
        message: 'models/ depends on nothing of ours.',
      },
    ]),
  },
  {
    files: ['app/**'],
    // Tests may start a real gateway to sync against.
    ignores: ['app/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**'],
              message: 'app/ reaches the gateway over HTTP; it may import types only.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['workers/**'],
    rules: restrict([
      { group: ['**/app/**', '**/server/**'], message: 'workers/ may import models/ only.' },
    ]),
  },
  {
    files: ['e2e/**', 'bench/**', 'scripts/**', '*.config.*'],
    rules: { 'no-console': 'off' },
  },
)
