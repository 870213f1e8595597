import { makeFolder } from '../contract/paths.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConformanceReport } from './conformance.ts';
import { toHtml } from './html.ts';
import { toJunit } from './junit.ts';
import { toMarkdown } from './markdown.ts';

export const reportFiles = { json: 'conformance.json', markdown: 'conformance.md', junit: 'junit.xml', html: 'index.html' } as const;

/** Writes conformance.json, conformance.md, junit.xml and index.html into the folder. */
export function writeReport(dir: string, report: ConformanceReport): string[] {
  makeFolder(dir);
  const files: [string, string][] = [
    [reportFiles.json, `${JSON.stringify(report, null, 2)}\n`],
    [reportFiles.markdown, toMarkdown(report)],
    [reportFiles.junit, toJunit(report)],
    [reportFiles.html, toHtml(report)],
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return files.map(([name]) => join(dir, name));
}
