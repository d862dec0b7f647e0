// `npm run test:faults`: the slow tests (soaks) that `npm test` leaves out.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.faults.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['backend/testing/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
