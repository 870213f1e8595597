/**
 * Fails when a clause of spec/ has neither a test nor a written reason why it cannot have one
 * (`untestable`), when a suite file cites a clause spec/ does not have, or when a cited clause's
 * id is not written out in the suite file of its concern, so that `grep -rn <id> suites/` finds
 * its tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/contract/paths.ts';
import { batteryIndex, beyondEvidence } from '../src/harness/collect.ts';

// The build's index of the battery when it is current, else a fresh collection.
const t = await batteryIndex();
// Suites that span concerns, and where their clause ids are written out: the model-based run's in
// the table of what it can charge; the paths suite's (both operations on every lineage) and the
// values suite's (values drawn from the schemas) in themselves.
const crossConcern: Record<string, string> = {
  'suites/model.test.ts': 'src/model/clauses.ts',
  'suites/paths.test.ts': 'suites/paths.test.ts',
  'suites/values.test.ts': 'suites/values.test.ts',
};
const sourceOf = (file: string) => {
  const path = join(projectRoot, crossConcern[file] ?? file);
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
};
const unfindable = [...t.byClause]
  .filter(([, tests]) => tests.length > 0)
  .flatMap(([id, tests]) => {
    const files = [...new Set(tests.map((x) => x.file))];
    return files.some((f) => sourceOf(f).includes(`'${id}'`))
      ? []
      : [
          `clause ${id} is cited from ${files.join(', ')} but its id is not written there in quotes; write it out, not built from a template`,
        ];
  });
const misplaced = t.tests
  .filter((x) => !crossConcern[x.file] && !x.clauses.some((c) => x.file === `suites/${c.split('.')[0]}.test.ts`))
  .map((x) => `${x.file}:${x.line} cites ${x.clauses.join(', ')}, none of them of the file's concern (suites/<concern>.test.ts)`);
const problems = [
  ...t.errors.map((e) => `suite file failed to load: ${e}`),
  ...beyondEvidence(t.tests),
  ...t.uncovered.map((c) => `clause ${c.id} (spec/${c.file}) has no test and no "untestable" reason`),
  ...unfindable,
  ...misplaced,
];
if (problems.length) {
  console.error(`traceability: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const cited = [...t.byClause.values()].filter((tests) => tests.length > 0).length;
console.log(
  `traceability: ${t.tests.length} tests cite ${cited} of ${t.byClause.size} clauses; the other ${t.byClause.size - cited} carry an "untestable" reason`,
);
