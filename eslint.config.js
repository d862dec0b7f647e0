// ESLint for the whole repository: the recommended sets of ESLint, typescript-eslint and
// eslint-plugin-svelte, plus a few rules that need type information because they catch real bugs
// (a promise nobody awaits loses its error). Formatting is Prettier's job (`npm run format`), so
// eslint-config-prettier comes last and switches off every rule that would argue with it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const svelteFiles = ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'];
const pocketbaseFiles = ['backend/pb_migrations/**/*.js', 'backend/pb_hooks/**/*.js'];

// What PocketBase's JS runtime defines (its plugins/jsvm types.d.ts): its objects, classes and the app's hooks.
const pocketbaseGlobals = `
  console require module __hooks $apis $app $dbx $filepath $filesystem $http $mails $os $security $template migrate
  routerAdd routerUse cronAdd cronRemove sleep arrayOf unmarshal readerToString toBytes toString nullArray nullBool
  nullFloat nullInt nullObject nullString ApiError BadRequestError ForbiddenError InternalServerError NotFoundError
  TooManyRequestsError UnauthorizedError ValidationError AppleClientSecretCreateForm RecordUpsertForm
  TestEmailSendForm TestS3FilesystemForm Collection Command Context Cookie DateTime DynamicModel FieldsList Field
  AutodateField BoolField DateField EditorField EmailField FileField GeoPointField JSONField NumberField
  PasswordField RelationField SelectField TextField URLField MailerMessage Middleware Record RequestInfo
  SubscriptionMessage Timezone onBackupCreate onBackupRestore onBatchRequest onBootstrap onTerminate
  onCollectionAfterCreateError onCollectionAfterCreateSuccess onCollectionAfterDeleteError
  onCollectionAfterDeleteSuccess onCollectionAfterUpdateError onCollectionAfterUpdateSuccess onCollectionCreate
  onCollectionCreateExecute onCollectionCreateRequest onCollectionDelete onCollectionDeleteExecute
  onCollectionDeleteRequest onCollectionUpdate onCollectionUpdateExecute onCollectionUpdateRequest
  onCollectionValidate onCollectionViewRequest onCollectionsImportRequest onCollectionsListRequest
  onFileDownloadRequest onFileTokenRequest onMailerRecordAuthAlertSend onMailerRecordEmailChangeSend
  onMailerRecordOTPSend onMailerRecordPasswordResetSend onMailerRecordVerificationSend onMailerSend
  onModelAfterCreateError onModelAfterCreateSuccess onModelAfterDeleteError onModelAfterDeleteSuccess
  onModelAfterUpdateError onModelAfterUpdateSuccess onModelCreate onModelCreateExecute onModelDelete
  onModelDeleteExecute onModelUpdate onModelUpdateExecute onModelValidate onRealtimeConnectRequest
  onRealtimeMessageSend onRealtimeSubscribeRequest onRecordAfterCreateError onRecordAfterCreateSuccess
  onRecordAfterDeleteError onRecordAfterDeleteSuccess onRecordAfterUpdateError onRecordAfterUpdateSuccess
  onRecordAuthRefreshRequest onRecordAuthRequest onRecordAuthWithOAuth onRecordAuthWithOTPRequest
  onRecordAuthWithPasswordRequest onRecordConfirmEmailChangeRequest onRecordConfirmPasswordResetRequest
  onRecordConfirmVerificationRequest onRecordCreate onRecordCreateExecute onRecordCreateRequest onRecordDelete
  onRecordDeleteExecute onRecordDeleteRequest onRecordEnrich onRecordRequestEmailChangeRequest
  onRecordRequestOTPRequest onRecordRequestPasswordResetRequest onRecordRequestVerificationRequest onRecordUpdate
  onRecordUpdateExecute onRecordUpdateRequest onRecordValidate onRecordViewRequest onRecordsListRequest
  onSettingsListRequest onSettingsReload onSettingsUpdateRequest
`
  .split(/\s+/)
  .filter(Boolean);

export default defineConfig(
  {
    ignores: [
      '**/node_modules/',
      'out/',
      'dist/',
      'release/',
      'test-results/',
      'playwright-report/',
      'bench/results/',
      'backend/bin/',
      'backend/pb_data/',
      'backend/pb_public/',
      // Generated from the schema by `npm run backend:types`.
      'src-shared/pocketbase-types.ts',
    ],
  },
  js.configs.recommended,
  ts.configs.recommended,
  // The Svelte rules only where Svelte compiles: components and `.svelte.ts` rune modules.
  ...svelte.configs.recommended.map((config) =>
    config.rules && !config.files ? { ...config, files: svelteFiles } : config,
  ),
  {
    ignores: pocketbaseFiles,
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
    },
  },
  {
    rules: {
      // An unused name that starts with `_` is unused on purpose (a parameter a signature needs).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Playwright reads a fixture's parameters from its source: `async ({}, use) => …` is how one says "none".
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
      // Off: input checks match control characters on purpose (src-main/security.ts); a control character
      // typed into a regular expression by accident is rare, and the tests of those checks would see it.
      'no-control-regex': 'off',
    },
  },
  {
    // Type-aware rules: each file is checked with the tsconfig that checks it (main, preload, scripts and
    // tests with tsconfig.json; the renderer with tsconfig.web.json, its server tests with
    // tsconfig.web-server-tests.json). Components and rune modules are read by svelte-eslint-parser,
    // which hands their TypeScript to typescript-eslint's parser.
    files: ['**/*.ts', '**/*.svelte'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.web.json', './tsconfig.web-server-tests.json'],
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
        parser: ts.parser,
        svelteConfig,
      },
    },
    rules: {
      // A promise that is neither awaited nor handled loses its rejection: an error nobody sees.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a callback's return value is ignored (a listener, forEach) has the same fault.
      '@typescript-eslint/no-misused-promises': 'error',
      // `await` on something that is not a promise is usually a call that was meant to be async.
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: svelteFiles,
    rules: {
      // Off: it asks for SvelteMap/SvelteSet/SvelteDate wherever a rune module makes a Map, Set, Date or URL,
      // including caches and temporaries that must not be reactive (every instance it found here was one).
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    // PocketBase runs these in its own JavaScript runtime (goja), with its own globals and `require`.
    files: pocketbaseFiles,
    languageOptions: {
      sourceType: 'commonjs',
      globals: Object.fromEntries(pocketbaseGlobals.map((name) => [name, 'readonly'])),
    },
    rules: {
      // The `/// <reference path="../pb_data/types.d.ts" />` line is how PocketBase gives editors its types.
      '@typescript-eslint/triple-slash-reference': 'off',
      // Each hook handler runs in a runtime of its own, so shared code is `require`d inside the handler.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  prettier,
);
