// ESLint for every JavaScript file in the repo: the extension (browser), and the build, test and
// benchmark scripts (Node). Names across the content scripts are checked by tsc (tsconfig.json).
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/**', 'pkg/**', 'target/**', 'node_modules/**', 'fuzz/**', 'test-results/**', 'bench/cache/**', 'bench/out/**'] },
  js.configs.recommended,
  {
    rules: {
      'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['extension/**/*.js', 'demo/**/*.js', 'bench/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions } },
  },
  {
    // The content scripts are classic scripts in manifest order, sharing one isolated world's scope:
    // a name one declares, another uses, which ESLint (one file at a time) cannot see. tsc checks
    // those names across the files instead.
    files: ['extension/content/*.js', 'extension/platform/*.js'],
    languageOptions: { sourceType: 'script' },
    rules: {
      'no-undef': 'off',
      'no-unused-vars': ['error', { vars: 'local', args: 'after-used', caughtErrors: 'none' }],
    },
  },
  {
    files: ['extension/content/shadow-hook.js'],
    languageOptions: { sourceType: 'script' },
  },
  {
    files: ['scripts/**/*.mjs', 'scripts/**/*.js', 'tests/**/*.mjs', 'tests/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Functions these files hand to page.evaluate run in the browser, not in Node.
    files: ['scripts/**/*.mjs', 'tests/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser, ...globals.webextensions, ...globals.node } },
  },
];
