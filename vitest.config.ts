import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test-support/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'src/**/*.unit.test.ts',
            'test-support/**/*.unit.test.ts',
            'console/src/**/*.unit.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['src/**/*.int.test.ts', 'test-support/**/*.int.test.ts', 'migrations/**/*.int.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['src/**/*.e2e.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
      },
    ],
  },
});
