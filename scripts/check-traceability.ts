/**
 * Fails when a clause of spec/ has neither a test nor a written reason why it cannot have one
 * (`untestable`), or when a suite file cites a clause spec/ does not have.
 */
import { collectBattery } from '../src/harness/collect.ts';

const t = await collectBattery();
const problems = [
  ...t.errors.map((e) => `suite file failed to load: ${e}`),
  ...t.uncovered.map((c) => `clause ${c.id} (spec/${c.file}) has no test and no "untestable" reason`),
];
if (problems.length) {
  console.error(`traceability: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
const cited = [...t.byClause.values()].filter((tests) => tests.length > 0).length;
console.log(`traceability: ${t.tests.length} tests cite ${cited} of ${t.byClause.size} clauses; the other ${t.byClause.size - cited} carry an "untestable" reason`);
