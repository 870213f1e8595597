import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeFolder } from '../contract/paths.ts';
import { validatorForTitle } from '../contract/validators.ts';
import type { ConformanceReport } from '../generated/types.ts';
import { columnsOf, matrixHtml, matrixMarkdown } from '../report/matrix.ts';
import { UsageError } from './usage-error.ts';

export interface MatrixOptions {
  out: string;
}

/** `swf-conformance matrix REPORT...`: matrix.md and matrix.html from report folders or conformance.json files; prints the Markdown. */
export async function matrix(paths: string[], opts: MatrixOptions): Promise<number> {
  const valid = validatorForTitle('ConformanceReport');
  const reports = paths.map((p) => {
    const file = existsSync(p) && statSync(p).isDirectory() ? join(p, 'conformance.json') : p;
    let report: unknown;
    try {
      report = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UsageError(
        `${file}: cannot read a conformance report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message.split('\n')[0]})`,
      );
    }
    if (!valid(report))
      throw new UsageError(
        `${file}: not a conformance report (${valid.errors?.[0]?.instancePath || '/'} ${valid.errors?.[0]?.message ?? ''})`,
      );
    return report as ConformanceReport;
  });
  const columns = columnsOf(reports);
  const out = resolve(opts.out);
  const markdown = matrixMarkdown(columns);
  try {
    makeFolder(out);
    writeFileSync(join(out, 'matrix.md'), markdown);
    writeFileSync(join(out, 'matrix.html'), matrixHtml(columns));
  } catch (error) {
    throw new UsageError(`--out ${opts.out}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  process.stdout.write(markdown);
  console.log(
    `\nmatrix of ${columns.length} implementation${columns.length === 1 ? '' : 's'}: ${join(out, 'matrix.md')}, ${join(out, 'matrix.html')}`,
  );
  return 0;
}
