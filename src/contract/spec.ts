import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseYaml } from './yaml.ts';
import type { Clause, Grade, SpecFile, SpecSources } from '../generated/types.ts';
import { projectRoot, specDir } from './paths.ts';
import { schemasFingerprint, validatorForTitle, violationsOf } from './validators.ts';

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

function readYaml(file: string, text = readFileSync(join(specDir, file), 'utf8')): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    throw new Error(`spec/${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

function check(title: string, file: string, data: unknown): void {
  const fn = validatorForTitle(title);
  if (!fn(data)) {
    const lines = violationsOf(data, fn.errors).map((v) => v.message);
    throw new Error(
      `spec/${file} does not match schemas/${title === 'SpecFile' ? 'spec-file' : 'spec-sources'}.schema.json:\n  ${lines.join('\n  ')}`,
    );
  }
}

/**
 * What the build read of spec/ (dist/spec.json), used while spec/ and the schemas that judge it
 * are what it was read from: every test worker reads the spec, and parsing its YAML costs each a
 * twentieth of a second.
 */
export const specCacheFile = join(projectRoot, 'dist', 'spec.json');
type SpecData = Omit<Spec, 'byId'>;

function specTexts(): { files: string[]; texts: Map<string, string>; fingerprint: string } {
  const files = readdirSync(specDir)
    .filter((f) => f.endsWith('.yaml') && !f.startsWith('_'))
    .sort();
  const texts = new Map(['_sources.yaml', ...files].map((f) => [f, readFileSync(join(specDir, f), 'utf8')]));
  // The loader's own source too (as TypeScript, whichever form runs): a change to what it makes
  // of the YAML is a new spec. Without it, no build's spec can match, and the YAML is read.
  let loader: string;
  try {
    loader = readFileSync(join(projectRoot, 'src', 'contract', 'spec.ts'), 'utf8');
  } catch {
    loader = `no loader source: ${Date.now()}`;
  }
  const hash = createHash('sha256').update(schemasFingerprint()).update(loader);
  for (const [file, text] of texts) hash.update(`\n${file}\n`).update(text);
  return { files, texts, fingerprint: hash.digest('hex') };
}

/** The build's step: the spec as JSON, read afresh, with the fingerprint it holds for. */
export function specCacheSource(): string {
  const { fingerprint } = specTexts();
  const { clauses, sources, concerns } = loadSpec({ fresh: true });
  return `${JSON.stringify({ fingerprint, spec: { clauses, sources, concerns } })}\n`;
}

/** The build's spec while it is current, else undefined. */
export function builtSpec(): Spec | undefined {
  return cachedSpec(specTexts().fingerprint);
}

function cachedSpec(fingerprint: string): Spec | undefined {
  try {
    const cache = JSON.parse(readFileSync(specCacheFile, 'utf8')) as { fingerprint?: unknown; spec: SpecData };
    if (cache.fingerprint !== fingerprint) return undefined;
    return { ...cache.spec, byId: new Map(cache.spec.clauses.map((c) => [c.id, c])) };
  } catch {
    return undefined; // no build, or not readable: read the YAML
  }
}

/** Reads spec/, validating every file, and checks ids are unique and sources are known. */
export function loadSpec(options: { fresh?: boolean } = {}): Spec {
  const { files, texts, fingerprint } = specTexts();
  const built = options.fresh ? undefined : cachedSpec(fingerprint);
  if (built) return built;
  const sourcesDoc = readYaml('_sources.yaml', texts.get('_sources.yaml'));
  check('SpecSources', '_sources.yaml', sourcesDoc);
  const sources = (sourcesDoc as SpecSources).sources;
  const clauses: SpecClause[] = [];
  const byId = new Map<string, SpecClause>();
  const concerns: string[] = [];
  for (const file of files) {
    const doc = readYaml(file, texts.get(file));
    check('SpecFile', file, doc);
    const { concern, clauses: fileClauses } = doc as SpecFile;
    concerns.push(concern);
    for (const clause of fileClauses) {
      if (byId.has(clause.id)) throw new Error(`spec/${file}: clause id ${clause.id} is also in spec/${byId.get(clause.id)?.file}`);
      if (!clause.id.startsWith(`${concern}.`))
        throw new Error(`spec/${file}: clause id ${clause.id} does not start with its concern "${concern}."`);
      for (const source of clause.sources) {
        if (!sources[source.doc])
          throw new Error(`spec/${file}: clause ${clause.id} cites unknown source "${source.doc}" (not in spec/_sources.yaml)`);
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
