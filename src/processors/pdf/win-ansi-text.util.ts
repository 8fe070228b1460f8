// The characters of Windows-1252 beyond Latin-1 that the standard PDF fonts can draw.
const CP1252_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const LOOKALIKES: Readonly<Record<string, string>> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
};

/**
 * Maps text onto what the 14 standard PDF fonts can encode (WinAnsi). pdfkit would otherwise write the
 * raw UTF-16 code units of anything else, which renders as unrelated glyphs; a "?" is at least honest.
 */
export function toWinAnsiText(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC').replace(/\r\n?/g, '\n')) {
    const code = char.codePointAt(0)!;
    if (char === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) out += char;
    else if (char === '\t') out += ' ';
    else if (CP1252_EXTRAS.has(char)) out += char;
    else if (LOOKALIKES[char]) out += LOOKALIKES[char];
    else if (code >= 0x20 && !(code >= 0x7f && code <= 0x9f)) out += '?';
  }
  return out;
}
