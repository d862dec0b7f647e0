import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    // *.faults.test.ts are slow soaks: `npm run test:faults` runs them.
    exclude: ['**/node_modules/**', 'out/**', 'e2e/**', 'bench/**', '**/*.faults.test.ts'],
    globalSetup: ['backend/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
