// ESLint for Laget: the type-checked rules of typescript-eslint that catch bugs the compiler lets
// through (promises nobody awaits, promises where a callback returns void, `any` leaking into typed
// code, a switch that forgets a case). Layout is Prettier's job, imports are dependency-cruiser's
// (.dependency-cruiser.cjs), unused locals are the compiler's (noUnusedLocals).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'devTools/', 'test-artifacts/', 'appPackage/build/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-misused-spread': 'error',
      // `let x; const f = () => x?.y(); x = make(f)` binds two objects that need each other.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // The compiler reports unused locals and parameters (tsconfig.json).
      '@typescript-eslint/no-unused-vars': 'off',
      // teams-ai route selectors and restify 12 handlers must be async even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      // Laget has no enums; the SDK's string enums (ActivityTypes) meet `activity.type: string`.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
  {
    // Card JSON is drawn in src/cards/ (templates in cards/, card functions that take view data);
    // dependency-cruiser keeps the renderer there, this keeps hand-built card elements there too.
    files: ['src/**/*.ts'],
    ignores: ['src/cards/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "Property:matches([key.name='type'], [key.value='type'])[value.value=/^(AdaptiveCard|TextBlock|RichTextBlock|TextRun|FactSet|Container|ColumnSet|Column|ActionSet|Image|Table|Input[.].+|Action[.].+)$/]",
          message: 'Card JSON is drawn in src/cards/: call (or add) a card function there that takes view data.',
        },
      ],
    },
  },
  { files: ['**/*.mjs', '**/*.cjs'], extends: [tseslint.configs.disableTypeChecked] },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
);
