/**
 * The expectation files the suite ships: each is valid, names only clauses and tests the battery
 * has, and says which implementation and version it was made against, as its file name does when
 * the name carries a version (moto-5.2.5.yaml is moto 5.2.5's).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { readConfigFile } from '../../src/cli/config-file.ts';
import { fixturesDir } from '../../src/contract/paths.ts';
import { spec } from '../../src/contract/spec.ts';
import type { ExpectationsFile } from '../../src/generated/types.ts';
import { batteryIndex } from '../../src/harness/collect.ts';
import { parseImplementation } from '../../src/report/implementation.ts';

const dir = join(fixturesDir, 'expectations');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

test("the suite ships the pinned and the newest releases' files", () => {
  expect(files).toEqual(['fakecloud.yaml', 'localstack-2026.3.0.yaml', 'localstack.yaml', 'moto-5.2.5.yaml', 'moto.yaml']);
});

test.for(files)('%s: valid, every entry known, its implementation named with its version', async (file) => {
  const content = readConfigFile<ExpectationsFile>(join(dir, file), 'ExpectationsFile', 'expectation file');
  const clauses = new Set(spec().clauses.map((c) => c.id));
  const tests = new Set((await batteryIndex()).tests.flatMap((t) => [t.name, `${t.file} > ${t.name}`]));
  for (const e of content.expectations) {
    if (e.clause) expect(clauses.has(e.clause), e.clause).toBe(true);
    if (e.test) expect(tests.has(e.test), e.test).toBe(true);
  }
  const implementation = parseImplementation(content.implementation);
  expect(implementation.version, content.implementation).toMatch(/^\d+\.\d+\.\d+$/);
  const [, name, version] = /^([a-z]+)(?:-(.+))?\.yaml$/.exec(file)!;
  expect(implementation.name).toBe(name);
  if (version) expect(implementation.version).toBe(version);
});
