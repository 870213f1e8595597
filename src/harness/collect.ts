import { Writable } from 'node:stream';
import { createVitest } from 'vitest/node';
import { join } from 'node:path';
import { projectRoot } from '../contract/paths.ts';
import { spec, type SpecClause } from '../contract/spec.ts';

export interface CollectedTest {
  id: string;
  name: string;
  file: string;
  /** The test's line in its file. */
  line: number;
  clauses: string[];
}

export interface Traceability {
  tests: CollectedTest[];
  /** Clause id → the tests citing it. */
  byClause: Map<string, CollectedTest[]>;
  /** Clauses with no test and no written reason why none can exist. */
  uncovered: SpecClause[];
  /** Files that failed to load, e.g. because a test cites a clause spec/ does not have. */
  errors: string[];
}


/** Collects the battery's tests without running them, and maps them to the clauses they cite. */
export async function collectBattery(): Promise<Traceability> {
  const vitest = await createVitest('test', {
    root: projectRoot, config: join(projectRoot, 'vitest.config.ts'), project: ['battery'], watch: false, includeTaskLocation: true,
  }, {}, { stdout: devNull(), stderr: devNull() } as never);
  try {
    const { testModules } = await vitest.collect();
    const tests: CollectedTest[] = [];
    const errors: string[] = [];
    for (const module of testModules) {
      for (const e of module.errors()) errors.push(`${module.relativeModuleId}: ${e.message}`);
      for (const t of module.children.allTests()) {
        tests.push({ id: t.id, name: t.fullName, file: module.relativeModuleId, line: t.location?.line ?? 1, clauses: t.meta().clauses ?? [] });
      }
    }
    const byClause = new Map<string, CollectedTest[]>(spec().clauses.map((c) => [c.id, []]));
    for (const t of tests) for (const c of t.clauses) byClause.get(c)?.push(t);
    const uncovered = spec().clauses.filter((c) => !c.untestable && (byClause.get(c.id)?.length ?? 0) === 0);
    return { tests, byClause, uncovered, errors };
  } finally {
    await vitest.close();
  }
}

function devNull(): NodeJS.WritableStream {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}
