/**
 * The one-way rule (.dependency-cruiser.cjs, ARCHITECTURE.md): `npm test` runs it over the
 * project; here each rule is shown to bite, on a small tree made for it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cruise, type IConfiguration } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const config = require('../../.dependency-cruiser.cjs') as IConfiguration;
const root = mkdtempSync(join(tmpdir(), 'swf-conformance-architecture-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The rules broken by a tree of the given files (path → imports). */
async function violations(files: Record<string, string[]>): Promise<string[]> {
  const dir = mkdtempSync(join(root, 'tree-'));
  for (const [path, imports] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), `${imports.map((i) => `import '${i}';`).join('\n')}\nexport const x = 1;\n`);
  }
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true },
    }),
  );
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const result = await cruise(['.'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden ?? [] } } as never);
    const output = result.output as { summary: { violations: { rule: { name: string } }[] } };
    return output.summary.violations.map((v) => v.rule.name).sort();
  } finally {
    process.chdir(cwd);
  }
}

describe('the import rule', () => {
  test('a tree that keeps it has no violations', async () => {
    expect(
      await violations({
        'src/contract/spec.ts': ['../generated/types.ts'],
        'src/generated/types.ts': [],
        'reference/engine/index.ts': ['../../src/contract/spec.ts'],
        'src/harness/session.ts': ['../contract/spec.ts', './target.ts', '../recordings/capture.ts'],
        'src/recordings/capture.ts': ['../clients/raw.ts', '../contract/spec.ts'],
        'src/clients/raw.ts': ['../contract/spec.ts'],
        'src/harness/target.ts': [],
        'src/targets/reference.ts': ['../../reference/engine/index.ts', '../harness/target.ts'],
        'src/cli/run.ts': ['../targets/reference.ts', '../harness/session.ts'],
        'src/cli/serve.ts': ['../../reference/engine/index.ts'],
        'suites/a.test.ts': ['../src/harness/session.ts'],
      }),
    ).toEqual([]);
  });

  test.each([
    ['the contract imports the suite', { 'src/contract/spec.ts': ['../harness/h.ts'], 'src/harness/h.ts': [] }, 'contract-stands-alone'],
    [
      'the contract imports the reference',
      { 'src/contract/spec.ts': ['../../reference/r.ts'], 'reference/r.ts': [] },
      'contract-stands-alone',
    ],
    [
      'the reference imports the harness',
      { 'reference/engine/index.ts': ['../../src/harness/h.ts'], 'src/harness/h.ts': [] },
      'reference-knows-contract-only',
    ],
    [
      'the harness imports the reference',
      { 'src/harness/h.ts': ['../../reference/r.ts'], 'reference/r.ts': [] },
      'harness-knows-no-target',
    ],
    ['the harness imports a target', { 'src/harness/h.ts': ['../targets/t.ts'], 'src/targets/t.ts': [] }, 'harness-knows-no-target'],
    ['a report imports the CLI', { 'src/report/r.ts': ['../cli/c.ts'], 'src/cli/c.ts': [] }, 'harness-knows-no-target'],
    ['a target imports the CLI', { 'src/targets/t.ts': ['../cli/c.ts'], 'src/cli/c.ts': [] }, 'targets-below-cli'],
    ['a replay reaches up to the harness', { 'src/recordings/r.ts': ['../harness/h.ts'], 'src/harness/h.ts': [] }, 'nothing-runs-back-up'],
    ['a client reaches up to the model', { 'src/clients/c.ts': ['../model/m.ts'], 'src/model/m.ts': [] }, 'nothing-runs-back-up'],
    [
      'a client reaches up to the recordings',
      { 'src/clients/c.ts': ['../recordings/r.ts'], 'src/recordings/r.ts': [] },
      'clients-below-recordings',
    ],
    [
      'the CLI reaches the reference past its targets',
      { 'src/cli/run.ts': ['../../reference/r.ts'], 'reference/r.ts': [] },
      'reference-reached-by-three',
    ],
    ['a suite imports a target', { 'suites/a.test.ts': ['../src/targets/t.ts'], 'src/targets/t.ts': [] }, 'battery-knows-no-target'],
    ['a suite imports the reference', { 'suites/a.test.ts': ['../reference/r.ts'], 'reference/r.ts': [] }, 'battery-knows-no-target'],
    ['code imports a suite', { 'src/cli/c.ts': ['../../suites/a.test.ts'], 'suites/a.test.ts': [] }, 'battery-is-loaded-not-imported'],
    ['two modules import each other', { 'src/report/a.ts': ['./b.ts'], 'src/report/b.ts': ['./a.ts'] }, 'no-cycles'],
  ])('%s', async (_name, files, rule) => {
    expect(await violations(files)).toContain(rule);
  });
});
