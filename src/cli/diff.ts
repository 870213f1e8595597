import { diffRecordings, RecordingError } from '../recordings/diff.ts';
import { summaryText, writeDiff } from '../recordings/render.ts';
import { UsageError } from './usage-error.ts';

export interface DiffCliOptions {
  out: string;
  ignore: string[];
  tolerance: number;
  json?: boolean;
}

/**
 * `swf-conformance diff A B`: exit 0 when the recordings agree, 1 when they differ, 2 when one
 * cannot be read or the options are wrong.
 */
export async function diffCommand(a: string, b: string, opts: DiffCliOptions): Promise<number> {
  let result: ReturnType<typeof diffRecordings>;
  try {
    result = diffRecordings(a, b, { ignore: opts.ignore, toleranceMs: opts.tolerance });
  } catch (error) {
    if (error instanceof RecordingError) throw new UsageError(error.message);
    throw error;
  }
  let files: string[];
  try {
    files = writeDiff(opts.out, result);
  } catch (error) {
    throw new UsageError(`--out ${opts.out}: cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (opts.json) console.log(JSON.stringify(result, null, 2));
  else process.stdout.write(`${summaryText(result)}diff: ${files.join(', ')}\n`);
  return result.differences.length ? 1 : 0;
}
