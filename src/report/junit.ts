import type { ConformanceReport, TestReport } from './conformance.ts';
import { firstLine } from './results.ts';

const xml = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 has no place for most control characters.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one testcase per test, its clause ids in its name and in properties. */
export function toJunit(r: ConformanceReport): string {
  const seen = new Map<string, TestReport>();
  for (const c of r.clauses) for (const t of c.tests) seen.set(t.fullName, t);
  const byFile = new Map<string, TestReport[]>();
  for (const t of seen.values()) byFile.set(t.file, [...(byFile.get(t.file) ?? []), t]);
  const suites = [...byFile].map(([file, tests]) => {
    const failures = tests.filter((t) => t.status === 'fail' || t.status === 'unexpected-pass').length;
    const skipped = tests.filter((t) => t.status === 'not-run' || t.status === 'expected-fail' || t.status === 'advisory-fail').length;
    const cases = tests.map((t) => {
      const props = `${t.clauses.map((c) => `<property name="clause" value="${xml(c)}"/>`).join('')}<property name="grade" value="${t.grade}"/><property name="status" value="${t.status}"/>`;
      let body = `<properties>${props}</properties>`;
      if (t.status === 'fail')
        body += `<failure message="${xml(firstLine(t.message ?? 'failed', 500))}">${xml(`${t.message ?? ''}\n\n${JSON.stringify(t.exchanges ?? [], null, 2)}`)}</failure>`;
      if (t.status === 'unexpected-pass')
        body += `<failure message="${xml(`passed, but the expectation file lists it: ${t.expectation ?? ''}`)}"/>`;
      if (t.status === 'not-run') body += `<skipped message="${xml(t.message ?? 'not run')}"/>`;
      if (t.status === 'expected-fail' || t.status === 'advisory-fail')
        body += `<skipped message="${xml(`${t.status}: ${firstLine(t.message ?? '', 500)}`)}"/>`;
      const name = `${t.fullName.split(' > ').slice(1).join(' > ')} [${t.clauses.join(', ')}]`;
      return `    <testcase classname="${xml(file)}" name="${xml(name)}" time="${(t.durationMs / 1000).toFixed(3)}">${body}</testcase>`;
    });
    return `  <testsuite name="${xml(file)}" tests="${tests.length}" failures="${failures}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="swf-conformance" tests="${seen.size}">\n${suites.join('\n')}\n</testsuites>\n`;
}
