// ESLint 9 flat config: typescript-eslint 8, type-aware through the project service (one TypeScript program
// for the whole repository, the same files `tsc` checks). `npm run lint` runs it with --max-warnings 0, and
// `npm test` runs `npm run lint` after the type check. The package-boundary rules live in scripts/lint/ (see
// docs/engineering.md, "Boundaries").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Tests, test helpers and benchmarks: code that only ever runs under our own control. */
const testAndToolFiles = [
  '**/*.test.ts',
  'test/**/*.ts',
  'packages/*/test-support/**/*.ts',
  'packages/*/src/testing/**/*.ts',
  'packages/*/bench/**/*.ts',
  'packages/*/scripts/**/*.ts',
];

export default tseslint.config(
  {
    // Generated protobuf code, build output and the static demo shop are not ours to style.
    ignores: ['**/node_modules/**', '**/dist/**', 'packages/events/src/generated/**', 'packages/tracker-sdk/demo/**'],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The three rules this config exists for: an un-awaited promise loses its error (and, in the pipeline, an
      // acknowledged event); a promise where a callback expects void is the same bug one step removed; type-only
      // imports stay visibly type-only so a module is never loaded for a type.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      // A leading underscore marks a deliberately unused binding (an interface's argument, a rest-sibling omit).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Off, because they are noise here rather than bugs:
      // - ports are Promise-returning interfaces; an `async` implementation that does not await (in-memory
      //   adapters, fakes) still turns a synchronous throw into a rejection, which is what callers handle;
      'require-await': 'off',
      '@typescript-eslint/require-await': 'off',
      // - services are factories returning closures (`createX(deps)` → `{ start, stop }`), never classes with
      //   `this`; the rule cannot tell the two apart when an interface declares methods.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Tests read JSON answers (`await res.json()` is `any`) and poke at results; the no-unsafe-* family would
    // demand a type assertion on every line without catching a bug. Production code keeps them.
    files: testAndToolFiles,
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Plain JavaScript (the `spoor` launcher and build scripts): syntax-level rules only, no type information.
    files: ['**/*.mjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
);
