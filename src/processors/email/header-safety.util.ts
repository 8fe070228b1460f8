import { UnsafeHeaderError } from './unsafe-header.error.js';

// CR and LF end a header line; the Unicode separators, NEL, VT and FF are treated as line ends by some
// parsers and clients, so any of them in a value is a header-injection attempt or a mistake.
const LINE_BREAK = /[\r\n\v\f\u0085\u2028\u2029]/u;

export function hasLineBreak(value: string): boolean {
  return LINE_BREAK.test(value);
}

/** Every C0 control but tab, DEL and the C1 block: never meaningful in a header value. */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

export function isHeaderSafe(value: string): boolean {
  return !hasLineBreak(value) && !hasControlCharacter(value);
}

/** Throws UnsafeHeaderError naming `field` unless `value` can go into a header as it is. */
export function assertHeaderSafe(value: string, field: string): void {
  if (!isHeaderSafe(value)) throw new UnsafeHeaderError(field);
}
