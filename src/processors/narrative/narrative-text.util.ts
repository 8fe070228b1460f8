const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Free text from a CV may carry newlines and runs of spaces; the narrative is flowing prose. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Ends a clause with exactly one full stop unless it already ends a sentence. */
export function asSentence(text: string): string {
  const trimmed = collapseWhitespace(text).replace(/[\s.;,:]+$/, '');
  return /[!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** "Led the team" becomes "led the team", but "AWS migration" keeps its acronym. */
export function lowerFirst(text: string): string {
  return /^\p{Lu}\p{Ll}/u.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "a" or "an" by sound for the usual cases: "an engineer", "a UX lead", "an SRE", "a university". */
export function withArticle(phrase: string): string {
  const word = phrase.split(/\s/, 1)[0];
  const isAcronym = word.length > 1 && word === word.toUpperCase() && /[A-Z]/.test(word);
  const vowelSound = isAcronym
    ? /^[AEFHILMNORSX]/.test(word)
    : /^[aeiou]/i.test(word) && !/^(uni|use|usu|eu|one)/i.test(word);
  return `${vowelSound ? 'an' : 'a'} ${phrase}`;
}

/** "2019" stays "2019"; "2019-03" and "2019-03-14" read as "March 2019". Fixed English, never the locale. */
export function formatPartialDate(date: string): string {
  const [year, month] = date.split('-');
  return month ? `${MONTHS[Number(month) - 1]} ${year}` : year;
}

/** Joins "a", "b" and "c" as "a, b and c". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Picks a variant from a stable FNV-1a hash of `key`, so phrasing varies across people and roles yet the
 * same input always reads the same.
 */
export function pickStable<T>(items: readonly T[], key: string): T {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return items[(hash >>> 0) % items.length];
}
