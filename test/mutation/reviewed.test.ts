/**
 * The reviewed survivors of `npm run mutation`: every mutant of reference/engine/ that Stryker is
 * told to leave alone is left alone by a comment in the code that says why (equivalent, or
 * outside the contract of the two operations), and every region so disabled is restored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { projectRoot } from '../../src/contract/paths.ts';

const engine = join(projectRoot, 'reference', 'engine');
const files = readdirSync(engine).filter((f) => f.endsWith('.ts'));
const directive = /\/\/\s*Stryker\s+(disable|restore)\b(.*)$/;

test.for(files)('%s: every Stryker directive names its reason, and every disabled region is restored', (file) => {
  const lines = readFileSync(join(engine, file), 'utf8').split('\n');
  let open: number | undefined;
  for (const [i, line] of lines.entries()) {
    const m = directive.exec(line);
    if (!m) continue;
    const [, verb, rest] = m;
    if (verb === 'disable') {
      // `// Stryker disable [next-line] <mutators>: <reason>`, the reason a sentence, not a word.
      const reason = /:\s*(.+)$/.exec(rest ?? '')?.[1] ?? '';
      expect(reason.length, `${file}:${i + 1} gives no reason: ${line.trim()}`).toBeGreaterThan(20);
      if (!/\bnext-line\b/.test(rest ?? '')) {
        expect(open, `${file}:${i + 1} disables again before restoring ${file}:${(open ?? 0) + 1}`).toBeUndefined();
        open = i;
      }
    } else {
      expect(open, `${file}:${i + 1} restores with nothing disabled`).toBeDefined();
      open = undefined;
    }
  }
  expect(open, `${file}:${(open ?? 0) + 1} is disabled to the end of the file`).toBeUndefined();
});

test('the engine keeps its disable comments to a few true equivalents; what no clause names lives in outside/', () => {
  const count = (dir: string) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .reduce((n, f) => n + (readFileSync(join(dir, f), 'utf8').match(/\/\/\s*Stryker\s+disable\b/g) ?? []).length, 0);
  // 112 before the engine was split along the contract line; what is left is a short list a reader can check.
  expect(count(engine), 'Stryker disable comments in reference/engine/*.ts').toBeLessThanOrEqual(20);
  // outside/ is left out by stryker.config.json's glob: a directive there would say nothing.
  expect(count(join(engine, 'outside')), 'Stryker directives in reference/engine/outside/').toBe(0);
});
