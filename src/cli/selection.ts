import type { Vitest } from 'vitest/node';
import { escapeRegExp } from '../contract/messages.ts';
import { batteryIndex } from '../harness/collect.ts';
import { batteryProject } from './battery-project.ts';
import { UsageError } from './usage-error.ts';

/** Checks each --tags expression with vitest's own parser (loaded only when there is one), against the battery's tags. */
export async function checkTagExpressions(expressions: string[], flag = '--tags'): Promise<void> {
  if (!expressions.length) return;
  const { createTagsFilter } = await import('@vitest/runner/utils');
  const tags = batteryProject().test?.tags ?? [];
  for (const expr of expressions) {
    try {
      createTagsFilter([expr], tags);
    } catch (error) {
      const message = (error as Error).message.split('\n')[0]!;
      const unknown = /tag pattern "([^"]+)" is not defined/.exec(message)?.[1];
      throw new UsageError(
        unknown
          ? `${flag} ${expr}: unknown tag "${unknown}" (a grade, a concern such as child-policy, or clause:<id>)`
          : `${flag} ${expr}: ${message.replace(/^Invalid tags expression: /, 'not a valid tag expression: ')}`,
      );
    }
  }
}

export interface Selection {
  tests: number;
  /** The clauses at least one selected test cites. */
  clauses: Set<string>;
}

/** Collects the battery with the run's filters applied, without running a test: what the selection holds. */
export async function collectSelection(vitest: Vitest): Promise<Selection> {
  const { testModules, unhandledErrors } = await vitest.collect();
  const failed = testModules.flatMap((m) => m.errors().map((e) => `${m.relativeModuleId}: ${e.message.split('\n')[0]}`));
  if (failed.length || unhandledErrors.length) {
    throw new UsageError(
      `the suites could not be read: ${failed[0] ?? (unhandledErrors[0] as Error | undefined)?.message?.split('\n')[0]}`,
    );
  }
  const selection: Selection = { tests: 0, clauses: new Set() };
  for (const module of testModules) {
    for (const test of module.children.allTests()) {
      if (test.options.mode !== 'run') continue;
      selection.tests += 1;
      for (const c of test.meta().clauses ?? []) selection.clauses.add(c);
    }
  }
  return selection;
}

/**
 * A selection by --clause, or by name (--grep, --test), from the battery's index (as `list` reads
 * it), without vitest collecting every file: the tests chosen, every clause they cite, and the
 * files that hold them. A name is matched as vitest matches its pattern, against the describe
 * blocks' names and the test's, joined by spaces. Undefined where the index cannot answer as
 * vitest would: a name that picks a test of the model-based run, which the run may skip.
 */
export async function selectionFromIndex(by: {
  clauses?: string[];
  namePattern?: string;
}): Promise<(Selection & { files: string[] }) | undefined> {
  const asked = new Set(by.clauses ?? []);
  const pattern = by.namePattern === undefined ? undefined : new RegExp(by.namePattern);
  const index = await batteryIndex();
  if (index.errors.length) throw new UsageError(`the suites could not be read: ${index.errors[0]}`);
  const chosen = index.tests.filter(
    (t) => (!asked.size || t.clauses.some((c) => asked.has(c))) && (!pattern || pattern.test(t.name.replace(/ > /g, ' '))),
  );
  if (pattern && chosen.some((t) => t.file === MODEL_FILE)) return undefined;
  return { tests: chosen.length, clauses: new Set(chosen.flatMap((t) => t.clauses)), files: [...new Set(chosen.map((t) => t.file))] };
}

/** The file of the model-based run, whose tests a run without an oracle or with --model-runs 0 skips. */
const MODEL_FILE = 'suites/model.test.ts';

/**
 * vitest's test name pattern for these tests, named as the reports name them ("file > describe >
 * test", the file optional): vitest matches "<describe> <test>", joined with spaces, without the
 * file (the battery's names are its own in each file).
 */
export function namePatternOf(fullNames: string[]): string {
  return `^(?:${fullNames.map((n) => escapeRegExp(n.replace(/^\S+\.test\.ts > /, '')).replace(/ > /g, ' ')).join('|')})$`;
}
