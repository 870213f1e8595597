import { deviationCatalogue } from '../../reference/deviations/catalogue.ts';
import { spec } from '../contract/spec.ts';

/** `swf-conformance deviations`: the reference's catalogue of wrong behaviours, each with the clauses it breaks. */
export async function deviations(opts: { json?: boolean }): Promise<void> {
  const { byId } = spec();
  const rows = deviationCatalogue.map((d) => ({ ...d, grades: d.breaks.map((id) => byId.get(id)?.grade ?? 'unknown') }));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ deviations: rows }, null, 2)}\n`);
    return;
  }
  for (const d of rows)
    console.log(`${d.name.padEnd(38)} ${d.breaks.map((id, i) => `${id} (${d.grades[i]})`).join(', ')}\n${''.padEnd(38)} ${d.does}`);
  console.log(`\n${rows.length} deviations`);
}
