import { defineConfig } from 'vitest/config';
import { batteryProject } from './src/cli/battery-project.ts';

// The project supports Node 20.19+ on the AWS SDK line its lockfile pins; the SDK's notice about
// later releases needing Node 22 says nothing about a run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export default defineConfig({
  test: {
    // Most files wait on the processes and servers they start, not on this process's CPU: three
    // at a time (vitest's default on two cores is one).
    maxWorkers: 4,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          // Bounds for a hung test, not speed targets (those are npm run bench's): sized for a
          // machine busy with another npm test, where a start-up or a spawned run takes several
          // times as long as on an idle one.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      batteryProject(),
    ],
  },
});
