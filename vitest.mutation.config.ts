/**
 * The battery as Stryker runs it (stryker.config.json, `npm run mutation`): the embedded reference
 * is started inside the test worker, where Stryker activates each mutant of reference/engine/, and
 * the battery against it is the test.
 */
import { defineConfig } from 'vitest/config';
import { batteryProject } from './src/cli/battery-project.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const battery = batteryProject().test!;

export default defineConfig({
  test: {
    ...battery,
    name: 'battery-under-mutation',
    globalSetup: ['./test/mutation/global-setup.ts'],
    setupFiles: ['./test/mutation/worker-reference.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
