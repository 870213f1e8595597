import { spec } from '../contract/spec.ts';
import { batteryIndex } from '../harness/collect.ts';
import { UsageError } from './usage-error.ts';

/** `swf-conformance list`: the clauses with their grades, and the file:line of each test that checks them. */
export async function list(opts: { json?: boolean }): Promise<void> {
  const t = await batteryIndex();
  if (t.errors.length) throw new UsageError(`the suites could not be read: ${t.errors[0]?.split('\n')[0]}`);
  const rows = spec().clauses.map((c) => ({
    id: c.id,
    grade: c.grade,
    concern: c.concern,
    tests: t.byClause.get(c.id)?.length ?? 0,
    statement: c.statement,
    locations: (t.byClause.get(c.id) ?? []).map((test) => ({ at: `${test.file}:${test.line}`, name: test.name })),
    ...(c.untestable ? { untestable: c.untestable } : {}),
  }));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ clauses: rows, tests: t.tests.length }, null, 2)}\n`);
    return;
  }
  for (const r of rows) {
    console.log(
      `${r.id.padEnd(56)} ${r.grade.padEnd(10)} ${String(r.tests).padStart(4)} test${r.tests === 1 ? ' ' : 's'}${r.untestable ? '  (untestable)' : ''}`,
    );
    for (const l of r.locations) console.log(`    ${l.at}  ${l.name}`);
  }
  console.log(`\n${rows.length} clauses, ${t.tests.length} tests`);
}
