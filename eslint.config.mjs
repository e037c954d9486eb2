// Lint rules carry the import boundaries of DESIGN.md §2.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const cloudSdks = [
  '@aws-sdk/*',
  '@azure/arm-*',
  '@azure/identity',
  '@azure/core-rest-pipeline',
  '@azure/data-tables',
  'google-auth-library',
  '@google-cloud/compute',
];
const functionRuntimes = [
  '@middy/*',
  '@azure/functions',
  '@google-cloud/functions-framework',
  '@aws-lambda-powertools/*',
];
const io = [
  'node:fs',
  'node:fs/promises',
  'fs',
  'fs/promises',
  'node:http',
  'node:https',
  'node:child_process',
  'node:net',
];
const restrict = (groups, message) => ({ group: groups, message });

export default tseslint.config(
  { ignores: ['node_modules/**', '.serverless/**', 'dist/**', 'coverage/**', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/providers/**', 'shared/stores/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            restrict(cloudSdks, 'Only shared/providers and shared/stores import cloud SDKs (DESIGN §2).'),
            restrict(functionRuntimes, 'Only functions/ imports function runtimes (DESIGN §2).'),
            restrict(['**/cli/*', '../cli', '../../cli'], 'Nothing in shared/ imports the CLI (DESIGN §2).'),
          ],
        },
      ],
    },
  },
  {
    files: [
      'shared/model/**/*.ts',
      'shared/cidr/**/*.ts',
      'shared/planner/**/*.ts',
      'shared/policy/schema*.ts',
      'shared/policy/evaluate*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            restrict(
              [...cloudSdks, ...functionRuntimes, ...io],
              'model, cidr, policy and planner are pure: no I/O (DESIGN §2 rule 3).',
            ),
            restrict(
              ['**/providers/*', '**/stores/*', '**/reconcile/*', '**/cli/*'],
              'The pure core does not import the imperative shell.',
            ),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The pure core reads no environment.' },
        { name: 'fetch', message: 'The pure core does no I/O.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Time is passed in (DESIGN §2 rule 3).',
        },
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Time is passed in (DESIGN §2 rule 3).',
        },
      ],
    },
  },
  {
    files: ['shared/providers/**/*.ts', 'shared/stores/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            restrict(functionRuntimes, 'Only functions/ imports function runtimes (DESIGN §2).'),
            restrict(['**/cli/*'], 'Nothing in shared/ imports the CLI (DESIGN §2).'),
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'infra/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
