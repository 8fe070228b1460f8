/** Lowercases and strips diacritics so "Zürich", "ZURICH" and "zurich" compare equal. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}
