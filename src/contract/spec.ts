import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Clause, Grade, SpecFile, SpecSources } from '../generated/types.ts';
import { specDir } from './paths.ts';
import { validatorForTitle, violationsOf } from './validators.ts';

export type { Clause, Grade };

/** A clause with the concern (file) it belongs to. */
export interface SpecClause extends Clause {
  concern: string;
  file: string;
}

export interface Spec {
  clauses: SpecClause[];
  byId: Map<string, SpecClause>;
  sources: SpecSources['sources'];
  concerns: string[];
}

function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(join(specDir, file), 'utf8'));
  } catch (error) {
    throw new Error(`spec/${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

function check(title: string, file: string, data: unknown): void {
  const fn = validatorForTitle(title);
  if (!fn(data)) {
    const lines = violationsOf(data, fn.errors).map((v) => v.message);
    throw new Error(`spec/${file} does not match schemas/${title === 'SpecFile' ? 'spec-file' : 'spec-sources'}.schema.json:\n  ${lines.join('\n  ')}`);
  }
}

/** Reads spec/, validating every file, and checks ids are unique and sources are known. */
export function loadSpec(): Spec {
  const sourcesDoc = readYaml('_sources.yaml');
  check('SpecSources', '_sources.yaml', sourcesDoc);
  const sources = (sourcesDoc as SpecSources).sources;
  const clauses: SpecClause[] = [];
  const byId = new Map<string, SpecClause>();
  const concerns: string[] = [];
  for (const file of readdirSync(specDir).filter((f) => f.endsWith('.yaml') && !f.startsWith('_')).sort()) {
    const doc = readYaml(file);
    check('SpecFile', file, doc);
    const { concern, clauses: fileClauses } = doc as SpecFile;
    concerns.push(concern);
    for (const clause of fileClauses) {
      if (byId.has(clause.id)) throw new Error(`spec/${file}: clause id ${clause.id} is also in spec/${byId.get(clause.id)?.file}`);
      if (!clause.id.startsWith(`${concern}.`)) throw new Error(`spec/${file}: clause id ${clause.id} does not start with its concern "${concern}."`);
      for (const source of clause.sources) {
        if (!sources[source.doc]) throw new Error(`spec/${file}: clause ${clause.id} cites unknown source "${source.doc}" (not in spec/_sources.yaml)`);
      }
      const full = { ...clause, concern, file };
      clauses.push(full);
      byId.set(clause.id, full);
    }
  }
  return { clauses, byId, sources, concerns };
}

let cached: Spec | undefined;
/** The spec, read once per process. */
export function spec(): Spec {
  cached ??= loadSpec();
  return cached;
}
