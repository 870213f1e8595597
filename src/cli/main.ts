import { main } from './program.ts';

export { EXIT } from './program.ts';

/** Ends the process once what was written to stdout and stderr has gone: a pipe takes 64 KiB at a time. */
async function exit(code: number): Promise<never> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write('', () => resolve()))));
  process.exit(code);
}

const code = await main(process.argv.slice(2));
// serve keeps running; every other command ends here with its exit code.
if (code !== undefined) await exit(code);
