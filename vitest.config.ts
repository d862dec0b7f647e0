// The Vitest suites as projects, so that each check needs only what it tests:
// - unit: main, preload, shared, renderer and benchmark helpers; no Go, no server, seconds (`npm run test:unit`)
// - server: a real PocketBase per suite, built from backend/ with Go (`npm run test:server`); any
//   `*.server.test.ts` file belongs here, wherever it lives
// - deploy: the production deployment rehearsed on this machine, with the built server (`npm run test:deploy`)
// - packaging: icons, installer config, Electron fuses, workflows (`npm run test:packaging`)
// `npx vitest run` runs them all; `*.faults.test.ts` soaks run only from vitest.faults.config.ts.
// A test file outside every project's `include` would never run: give it a place here.
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/** Built once per run (skipped when the Go inputs are unchanged), and only for projects that queue a test. */
const goServer = ['backend/testing/global-setup.ts'];
const slow = ['**/*.faults.test.ts'];
const server = ['**/*.server.test.ts', ...slow];

/**
 * Runes in `.svelte.ts` modules compiled as the client compiles them (Node would otherwise get Svelte's
 * server build, where `$effect` never runs and `$derived` does not track): the compiler generates client
 * code, and `svelte` itself is loaded through Vite with the `browser` condition. Tests run in Node; a test
 * injects the browser globals its module needs (e.g. `sessionStorage`). Each project gets plugins of its own.
 */
const runesAsInTheClient = () => ({
  plugins: [svelte({ configFile: 'svelte.config.js', dynamicCompileOptions: () => ({ generate: 'client' as const }) })],
  ssr: { resolve: { conditions: ['browser'] } },
});
const runesTest = { environment: 'node', server: { deps: { inline: ['svelte'] } } };

export default defineConfig({
  test: {
    projects: [
      {
        ...runesAsInTheClient(),
        test: {
          name: 'unit',
          include: [
            'src-main/**/*.test.ts',
            'src-preload/**/*.test.ts',
            'src-shared/**/*.test.ts',
            'src-renderer/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', ...server],
          ...runesTest,
        },
      },
      {
        // The chat core's *.server.test.ts files import `.svelte.ts` modules: compiled as for the unit project.
        ...runesAsInTheClient(),
        test: {
          name: 'server',
          include: ['backend/tests/**/*.test.ts', 'scripts/demo-data.test.ts', '**/*.server.test.ts'],
          exclude: ['**/node_modules/**', 'out/**', ...slow],
          ...runesTest,
          globalSetup: goServer,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'deploy',
          include: ['backend/deploy/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...server],
          globalSetup: goServer,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'packaging',
          include: ['scripts/**/*.test.ts', 'build/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'scripts/demo-data.test.ts', ...server],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
