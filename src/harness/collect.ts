import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
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
  /** The case it exercises, when it names one. */
  case?: string;
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
  const { createVitest } = await import('vitest/node');
  const vitest = await createVitest(
    'test',
    {
      root: projectRoot,
      config: join(projectRoot, 'vitest.config.ts'),
      project: ['battery'],
      watch: false,
      includeTaskLocation: true,
    },
    {},
    { stdout: devNull(), stderr: devNull() } as never,
  );
  try {
    const { testModules } = await vitest.collect();
    const tests: CollectedTest[] = [];
    const errors: string[] = [];
    for (const module of testModules) {
      for (const e of module.errors()) errors.push(`${module.relativeModuleId}: ${e.message}`);
      for (const t of module.children.allTests()) {
        tests.push({
          id: t.id,
          name: t.fullName,
          file: module.relativeModuleId,
          line: t.location?.line ?? 1,
          clauses: t.meta().clauses ?? [],
          ...(t.meta().case ? { case: t.meta().case } : {}),
        });
      }
    }
    return traceability(tests, errors);
  } finally {
    await vitest.close();
  }
}

/**
 * A recorded clause whose recordings show only some cases (spec: `cases`) judges those alone: each
 * test charged to it names the case it exercises, and that case is one the recordings show. What
 * is wrong, one line per test and clause.
 */
export function beyondEvidence(tests: CollectedTest[], byId = spec().byId): string[] {
  return tests.flatMap((x) =>
    x.clauses.flatMap((id) => {
      const cases = byId.get(id)?.cases;
      if (!cases) return [];
      if (!x.case)
        return [
          `${x.file}:${x.line} is charged to ${id}, whose recordings show only ${cases.join(', ')}, and names no case (cites(id, { case }))`,
        ];
      return cases.includes(x.case)
        ? []
        : [
            `${x.file}:${x.line} judges ${x.case} under ${id}, whose recordings show only ${cases.join(', ')}: charge it to an inferred clause`,
          ];
    }),
  );
}

function traceability(tests: CollectedTest[], errors: string[]): Traceability {
  const byClause = new Map<string, CollectedTest[]>(spec().clauses.map((c) => [c.id, []]));
  for (const t of tests) for (const c of t.clauses) byClause.get(c)?.push(t);
  const uncovered = spec().clauses.filter((c) => !c.untestable && (byClause.get(c.id)?.length ?? 0) === 0);
  return { tests, byClause, uncovered, errors };
}

// ---------------------------------------------------------------- the index

/**
 * What the battery's tests are made from: suites/, what they import from src/, and the data they
 * read (spec/, schemas/, fixtures/). The index of the battery is current while this is unchanged.
 */
function fingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(projectRoot, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|ya?ml|json)$/.test(entry.name)) hash.update(path).update(readFileSync(join(projectRoot, path)));
    }
  };
  for (const dir of ['suites', 'src', 'spec', 'schemas', 'fixtures']) walk(dir);
  return hash.digest('hex');
}

const indexFile = join(projectRoot, 'dist', 'battery-index.json');

/**
 * The battery's tests, from the index the build writes (dist/battery-index.json) while it is
 * current, else collected by vitest (and the index rewritten when there is a build to keep it in).
 */
export async function batteryIndex(): Promise<Traceability> {
  const print = fingerprint();
  try {
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { fingerprint: string; tests: CollectedTest[] };
    if (index.fingerprint === print) return traceability(index.tests, []);
  } catch {
    /* no index, or not readable: collect */
  }
  const collected = await collectBattery();
  if (collected.errors.length === 0 && existsSync(join(projectRoot, 'dist'))) writeIndex(collected, print);
  return collected;
}

/** Writes the index of the battery into the build. */
function writeIndex(t: Traceability, print = fingerprint()): void {
  mkdirSync(join(projectRoot, 'dist'), { recursive: true });
  writeFileSync(indexFile, `${JSON.stringify({ fingerprint: print, tests: t.tests })}\n`);
}

function devNull(): NodeJS.WritableStream {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}
