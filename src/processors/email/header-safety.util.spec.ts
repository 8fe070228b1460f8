import { hasLineBreak, isHeaderSafe } from '../../config/header-value.util.js';
import { assertHeaderSafe } from './header-safety.util.js';
import { UnsafeHeaderError } from './unsafe-header.error.js';

const LINE_BREAKS = {
  CR: '\r',
  LF: '\n',
  'vertical tab': '\v',
  'form feed': '\f',
  'U+0085 NEL': '\u0085',
  'U+2028 LINE SEPARATOR': '\u2028',
  'U+2029 PARAGRAPH SEPARATOR': '\u2029',
};

describe('header safety', () => {
  it.each(Object.entries(LINE_BREAKS))('treats %s as a line break', (_, char) => {
    const value = `Hello${char}Bcc: victim@example.com`;
    expect(hasLineBreak(value)).toBe(true);
    expect(isHeaderSafe(value)).toBe(false);
    expect(() => assertHeaderSafe(value, 'subject')).toThrow(UnsafeHeaderError);
  });

  it('accepts ordinary text, tabs and non-Latin scripts', () => {
    for (const value of ['Quarterly report', 'Tab\tseparated', 'Zürich — 東京 ✓', '']) {
      expect(hasLineBreak(value)).toBe(false);
      expect(() => assertHeaderSafe(value, 'subject')).not.toThrow();
    }
  });

  it('lets assertHeaderSafe also refuse control characters that are not line breaks', () => {
    for (const value of ['nul\0byte', 'bell\u0007', 'escape\u001b[31m', 'del\u007f', 'c1\u009b']) {
      expect(hasLineBreak(value)).toBe(false);
      expect(isHeaderSafe(value)).toBe(false);
    }
  });

  it('names the offending field in the error', () => {
    expect(() => assertHeaderSafe('a\nb', 'to[3]')).toThrow(
      expect.objectContaining({
        name: 'UnsafeHeaderError',
        field: 'to[3]',
        message: expect.stringContaining('to[3]'),
      }),
    );
  });
});
