import { foldText } from './fold-text.util.js';

const STOPWORDS = new Set(
  'a an and are as at be by for from has in is of on or our the to we with you will your job jobs role'.split(
    ' ',
  ),
);

// Short forms people type into a search box, mapped to the word postings use.
const ALIASES: Readonly<Record<string, string>> = {
  js: 'javascript',
  ts: 'typescript',
  k8s: 'kubernetes',
  dev: 'developer',
  eng: 'engineer',
  mgr: 'manager',
  golang: 'go',
  postgres: 'postgresql',
};

/** Plural-insensitive without a real stemmer: "engineers" and "engineer" meet, "ios" and "business" stay. */
function stem(token: string): string {
  return token.length > 3 && token.endsWith('s') && !/(ss|us|is)$/.test(token) ? token.slice(0, -1) : token;
}

/**
 * Splits text into normalized search tokens. Symbols that carry meaning in skill names are spelled out
 * first, or "C++", "C#" and ".NET" would all collapse into "c" and "net".
 */
export function tokenize(text: string): string[] {
  const spelled = foldText(text)
    .replace(/c\+\+/g, ' cpp ')
    .replace(/c#/g, ' csharp ')
    .replace(/\.net\b/g, ' dotnet ')
    .replace(/([a-z0-9])\.js\b/g, '$1js');
  return spelled
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0 && !STOPWORDS.has(token))
    .map((token) => stem(ALIASES[token] ?? token));
}
