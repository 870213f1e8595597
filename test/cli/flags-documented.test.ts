/**
 * A run flag is declared once, in src/cli/run-flags.ts, and every command's flags in commander
 * (src/cli/commands.ts); docs/cli.md's tables must list exactly those, and runConformance's
 * typed options the run's: a flag added without its row or its option, or a row left for a flag
 * that went, fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { expect, test } from 'vitest';
import { addCommands } from '../../src/cli/commands.ts';
import { apiTable } from '../../src/cli/run-flags.ts';
import { projectRoot } from '../../src/contract/paths.ts';

/** The long flags of a command, as commander declares them (`--no-rerun` as written). */
function declared(name: string): string[] {
  const program = new Command('swf-conformance');
  addCommands(program, () => undefined);
  const command = program.commands.find((c) => c.name() === name)!;
  return command.options.map((o) => o.long!).filter((f) => f !== '--help');
}

/** The flags in the first column of the tables of the section of docs/cli.md whose heading names the command. */
function documented(name: string): string[] {
  const text = readFileSync(join(projectRoot, 'docs', 'cli.md'), 'utf8');
  const heading = new RegExp(`^###[^\\n]*\`${name}\``, 'm').exec(text);
  if (!heading) return [];
  const end = text.indexOf('\n### ', heading.index + 1);
  const section = text.slice(heading.index, end < 0 ? undefined : end);
  return [...section.matchAll(/^\| ((?:[^|\\]|\\.)+) \|/gm)].flatMap((row) => [...row[1]!.matchAll(/`(--[a-z0-9-]+)/g)].map((m) => m[1]!));
}

function commands(): string[] {
  const program = new Command('swf-conformance');
  addCommands(program, () => undefined);
  return program.commands.map((c) => c.name());
}

test.each(commands())('every flag of %s has its row in docs/cli.md, and every row there is a flag of it', (name) => {
  expect(documented(name).sort()).toEqual(declared(name).sort());
});

test("runConformance's options are the run's flags of src/cli/run-flags.ts and its own, in lib/index.d.ts", () => {
  const dts = readFileSync(join(projectRoot, 'lib', 'index.d.ts'), 'utf8');
  const block = /export interface ConformanceOptions \{([\s\S]*?)\n\}/.exec(dts)![1]!;
  const typed = [...block.matchAll(/^ {2}(\w+)\?:/gm)].map((m) => m[1]!);
  const own = ['reportDir', 'keepReportDir', 'signal', 'processEnv', 'onOutput'];
  expect(typed.sort()).toEqual([...apiTable().map((o) => o.option), ...own].sort());
  // docs/cli.md's "From code" names each of them.
  const docs = readFileSync(join(projectRoot, 'docs', 'cli.md'), 'utf8');
  const fromCode = docs.slice(docs.indexOf('### From code'), docs.indexOf('\n## ', docs.indexOf('### From code')));
  expect(typed.filter((o) => !fromCode.includes(`\`${o}\``))).toEqual([]);
  // lib/run-flags.json, which lib/index.js reads, is the table's (test/contract/generated.test.ts holds it to the table).
  expect(JSON.parse(readFileSync(join(projectRoot, 'lib', 'run-flags.json'), 'utf8'))).toEqual(apiTable());
});
