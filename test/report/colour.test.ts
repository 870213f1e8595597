import { expect, test } from 'vitest';
import { colourOn, paint } from '../../src/report/colour.ts';

test('colour on a terminal only, NO_COLOR honoured, FORCE_COLOR anywhere, TERM=dumb never', () => {
  expect(colourOn({ isTTY: true }, {})).toBe(true);
  expect(colourOn({ isTTY: false }, {})).toBe(false);
  expect(colourOn({}, {})).toBe(false);
  expect(colourOn({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  expect(colourOn({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  expect(colourOn({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  expect(colourOn({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
  expect(colourOn({ isTTY: true }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  expect(paint('red', '✗', false)).toBe('✗');
  expect(paint('red', '✗', true)).toMatch(/^\u001b\[31m✗\u001b\[39m$/);
});
