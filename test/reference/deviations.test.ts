import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { deviationCatalogue, Deviations } from '../../reference/deviations/catalogue.ts';
import { pluggedDeviations } from '../../reference/deviations/seams.ts';
import { startReference } from '../../reference/server.ts';
import { loadSpec } from '../../src/contract/spec.ts';
import { runCli } from '../cli/helpers.ts';

const referenceDir = fileURLToPath(new URL('../../reference/', import.meta.url));
/** reference/'s sources outside reference/deviations/. */
const outside = readdirSync(referenceDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts') && !f.startsWith('deviations/'))
  .map((f) => readFileSync(`${referenceDir}${f}`, 'utf8'))
  .join('\n');
const spec = loadSpec();

describe('the deviation catalogue', () => {
  test('has at least 40 deviations, each with a unique name, what it does and the clauses it breaks', () => {
    expect(deviationCatalogue.length).toBeGreaterThanOrEqual(40);
    expect(new Set(deviationCatalogue.map((d) => d.name)).size).toBe(deviationCatalogue.length);
    for (const d of deviationCatalogue) {
      expect(d.name, d.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(d.does.length, d.name).toBeGreaterThan(10);
      expect(d.breaks.length, d.name).toBeGreaterThan(0);
    }
  });

  test('every clause a deviation names is in spec/', () => {
    const unknown = deviationCatalogue.flatMap((d) => d.breaks.filter((id) => !spec.byId.has(id)).map((id) => `${d.name}: ${id}`));
    expect(unknown).toEqual([]);
  });

  test('each deviation is one object with its plug, and nothing outside reference/deviations/ names one', () => {
    // Each is declared with its plug in its concern's file; the engine, the front and validation
    // know none of them by name, and check none (no dev.has outside reference/deviations/).
    expect(pluggedDeviations.size).toBe(deviationCatalogue.length);
    expect(deviationCatalogue.filter((d) => !pluggedDeviations.has(d.name)).map((d) => d.name)).toEqual([]);
    expect(outside).not.toMatch(/\bdev\.has\(|\.has\('[a-z0-9]+(-[a-z0-9]+)+'\)/);
    expect(deviationCatalogue.filter((d) => outside.includes(`'${d.name}'`)).map((d) => d.name)).toEqual([]);
  });

  test('every concern of spec/ has a deviation', () => {
    const covered = new Set(deviationCatalogue.flatMap((d) => d.breaks.map((id) => spec.byId.get(id)!.concern)));
    expect(spec.concerns.filter((c) => !covered.has(c))).toEqual([]);
  });

  test('an unknown name is refused, naming it, by the reference and by serve', async () => {
    expect(() => new Deviations(['no-such-thing'])).toThrow(/unknown deviation no-such-thing/);
    await expect(startReference({ deviate: ['no-such-thing'] })).rejects.toThrow(/unknown deviation no-such-thing/);
    const served = await runCli(['serve', '--port', '0', '--deviate', 'no-such-thing']);
    expect(served.code).toBe(2);
    expect(served.stderr.trim()).toBe('swf-conformance: unknown deviation no-such-thing (see swf-conformance deviations)');
  });

  test('swf-conformance deviations lists them all, with the grade of each clause', async () => {
    const listed = await runCli(['deviations', '--json']);
    expect(listed.code).toBe(0);
    const json = JSON.parse(listed.stdout) as { deviations: { name: string; breaks: string[]; grades: string[] }[] };
    expect(json.deviations.map((d) => d.name)).toEqual(deviationCatalogue.map((d) => d.name));
    expect(json.deviations.every((d) => d.grades.length === d.breaks.length && !d.grades.includes('unknown'))).toBe(true);
  });
});
