import { z } from 'zod';

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

/**
 * Whether `value` can go into an e-mail header as it is. It lives in config/, the lowest layer, because
 * SMTP_FROM is checked by the same rule as the email task's addresses, and config imports no feature.
 */
export function isHeaderSafe(value: string): boolean {
  return !hasLineBreak(value) && !hasControlCharacter(value);
}

/** A string of at most `max` characters that `isHeaderSafe` accepts. */
export const headerValue = (max: number) =>
  z.string().max(max).refine(isHeaderSafe, 'must not contain line breaks or control characters');
