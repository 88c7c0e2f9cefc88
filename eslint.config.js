import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const crossModule = (regex) => ['error', { patterns: [{ regex, message: 'Reach another module only through its index.ts (STYLE R2)' }] }];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'data/**',
      '.ci-out/**',
      '.tmp/**',
      'e2e-artifacts/**',
      'bin/**',
      'dist/**',
      'web/dist/**',
      'web/vite.config.ts',
      'eslint.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Fastify hooks and Kysely driver methods must be async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
      curly: 'error',
      eqeqeq: 'error',
    },
  },
  // Outside src/modules, a module is entered through its index.ts.
  {
    files: ['src/*.ts', 'src/*/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/modules/**'],
    rules: { 'no-restricted-imports': crossModule('modules/[^/]+/(?!index\\.ts$)') },
  },
  // Inside a module, `../other/x.ts` (or `../../other/x.ts` from a subfolder) reaches into a sibling module.
  { files: ['src/modules/*/*.ts'], rules: { 'no-restricted-imports': crossModule('^\\.\\./[^./][^/]*/(?!index\\.ts$)') } },
  { files: ['src/modules/*/*/*.ts'], rules: { 'no-restricted-imports': crossModule('^\\.\\./\\.\\./[^./][^/]*/(?!index\\.ts$)') } },
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
);
