import { defineConfig } from 'vitest/config';
import { batteryProject } from './src/harness/project.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      batteryProject(),
    ],
  },
});
