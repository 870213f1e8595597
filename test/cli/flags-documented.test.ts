/**
 * A run flag is declared once, in commander (src/cli/commands.ts), and docs/cli.md's tables of
 * `run` must list exactly those: a flag added without its row, or a row left for a flag that
 * went, fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { expect, test } from 'vitest';
import { addCommands } from '../../src/cli/commands.ts';
import { projectRoot } from '../../src/contract/paths.ts';

/** The long flags of a command, as commander declares them (`--no-rerun` as written). */
function declared(name: string): string[] {
  const program = new Command('swf-conformance');
  addCommands(program, () => undefined);
  const command = program.commands.find((c) => c.name() === name)!;
  return command.options.map((o) => o.long!).filter((f) => f !== '--help');
}

/** The flags in the first column of the tables of one `### \`name\`` section of docs/cli.md. */
function documented(name: string): string[] {
  const text = readFileSync(join(projectRoot, 'docs', 'cli.md'), 'utf8');
  const start = text.indexOf(`### \`${name}\``);
  const end = text.indexOf('\n### ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^\| `(--[a-z0-9-]+)/gm)].map((m) => m[1]!);
}

test('every flag of run has its row in docs/cli.md, and every row there is a flag of run', () => {
  expect(documented('run').sort()).toEqual(declared('run').sort());
});
