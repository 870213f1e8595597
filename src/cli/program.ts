/**
 * The CLI as a function: the program built afresh, the arguments parsed, the command run, and its
 * exit code returned (main.ts ends the process with it). Tests of the CLI's logic call it in their
 * own process; the few end-to-end tests spawn bin/swf-conformance.js.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { projectRoot } from '../contract/paths.ts';
import { addCommands } from './commands.ts';
import { UsageError } from './usage-error.ts';

export const EXIT = { conformant: 0, notConformant: 1, couldNotRun: 2 } as const;

/** The commands that end with an exit code; serve keeps running. */
const ENDING = ['run', 'list', 'cleanup', 'deviations', 'replay', 'diff', 'merge', 'matrix'];

/**
 * Runs the CLI on `args` (without node and the script: `['run', '--clause', …]`). Resolves with
 * the exit code once the command has ended, or with undefined for a command that keeps running
 * (serve).
 */
export async function main(args: string[]): Promise<number | undefined> {
  let exitCode: number = EXIT.conformant;
  const program = new Command('swf-conformance')
    .description('Contract-conformance suite for Amazon SWF RequestCancelWorkflowExecution and TerminateWorkflowExecution')
    .version(
      (JSON.parse(readFileSync(`${projectRoot}package.json`, 'utf8')) as { version: string }).version,
      '-V, --version',
      'print the version',
    )
    .exitOverride()
    // One line that names the problem: commander's first line, without its help text after it.
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      outputError: (text, write) => write(`swf-conformance: ${text.split('\n')[0]!.replace(/^error: /, '')} (see --help)\n`),
    });
  addCommands(program, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return ENDING.includes(program.args[0] ?? '') ? exitCode : undefined;
  } catch (error) {
    // --help and --version end here with exit code 0; everything else is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.couldNotRun;
    console.error(`swf-conformance: ${error instanceof UsageError ? error.message : ((error as Error).message ?? String(error))}`);
    return EXIT.couldNotRun;
  }
}
