/**
 * Part of `npm run build`: collects the battery once and keeps its index in dist/, so that
 * `swf-conformance list` answers without starting vitest. The index is used only while the
 * files the battery is made from are unchanged (src/harness/collect.ts).
 */
import { batteryIndex } from '../src/harness/collect.ts';

const t = await batteryIndex();
if (t.errors.length) {
  console.error(`index-battery: the suites could not be read, so no index was written: ${t.errors[0]}`);
} else {
  console.log(`index-battery: ${t.tests.length} tests indexed in dist/battery-index.json`);
}
