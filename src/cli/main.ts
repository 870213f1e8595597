import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { projectRoot } from '../contract/paths.ts';
import { addCommands } from './commands.ts';
import { UsageError } from './usage-error.ts';

export const EXIT = { conformant: 0, notConformant: 1, couldNotRun: 2 } as const;

const program = new Command('swf-conformance')
  .description('Contract-conformance suite for Amazon SWF RequestCancelWorkflowExecution and TerminateWorkflowExecution')
  .version((JSON.parse(readFileSync(`${projectRoot}package.json`, 'utf8')) as { version: string }).version, '-V, --version', 'print the version')
  .exitOverride()
  // One line that names the problem: commander's first line, without its help text after it.
  .configureOutput({ outputError: (text, write) => write(`swf-conformance: ${text.split('\n')[0]!.replace(/^error: /, '')} (see --help)\n`) });

let exitCode: number = EXIT.conformant;
addCommands(program, (code) => { exitCode = code; });

try {
  await program.parseAsync(process.argv);
  // serve keeps running; run and list end here with their verdict.
  if (['run', 'list', 'cleanup', 'deviations', 'replay'].includes(program.args[0] ?? '')) process.exit(exitCode);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with exit code 0; everything else is a usage error.
    process.exit(error.exitCode === 0 ? 0 : EXIT.couldNotRun);
  }
  if (error instanceof UsageError) {
    console.error(`swf-conformance: ${error.message}`);
    process.exit(EXIT.couldNotRun);
  }
  console.error(`swf-conformance: ${(error as Error).message ?? String(error)}`);
  process.exit(EXIT.couldNotRun);
}
