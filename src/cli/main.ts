import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { projectRoot } from '../contract/paths.ts';
import { addCommands } from './commands.ts';
import { UsageError } from './usage-error.ts';

export const EXIT = { conformant: 0, notConformant: 1, couldNotRun: 2 } as const;

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
    outputError: (text, write) => write(`swf-conformance: ${text.split('\n')[0]!.replace(/^error: /, '')} (see --help)\n`),
  });

let exitCode: number = EXIT.conformant;

/** Ends the process once what was written to stdout and stderr has gone: a pipe takes 64 KiB at a time. */
async function exit(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit(code);
}
addCommands(program, (code) => {
  exitCode = code;
});

try {
  await program.parseAsync(process.argv);
  // serve keeps running; run and list end here with their verdict.
  if (['run', 'list', 'cleanup', 'deviations', 'replay', 'diff', 'merge', 'matrix'].includes(program.args[0] ?? '')) await exit(exitCode);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with exit code 0; everything else is a usage error.
    await exit(error.exitCode === 0 ? 0 : EXIT.couldNotRun);
  }
  if (error instanceof UsageError) {
    console.error(`swf-conformance: ${error.message}`);
    await exit(EXIT.couldNotRun);
  }
  console.error(`swf-conformance: ${(error as Error).message ?? String(error)}`);
  await exit(EXIT.couldNotRun);
}
