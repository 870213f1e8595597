import { styleText } from 'node:util';

/**
 * Whether text written to this stream is coloured: on a terminal, unless NO_COLOR is set
 * (no-color.org) or TERM is dumb; FORCE_COLOR turns it on anywhere. Piped output (a CI log, a
 * file) stays plain.
 */
export function colourOn(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

type Style = 'green' | 'red' | 'yellow' | 'bold' | 'dim';

/** The text in this style when colour is on. */
export function paint(style: Style, text: string, on = colourOn()): string {
  // Whether to colour is decided here (styleText would look at process.stdout itself).
  return on ? styleText(style, text, { validateStream: false }) : text;
}
