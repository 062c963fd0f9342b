import { LIMITS } from '@market/contracts';

/** A word of a search and the known words it is searched as besides itself (when misspelt). */
export interface SearchTerm {
  word: string;
  /** The last word of a search is matched as a prefix too (search as you type), from 3 characters. */
  prefix: boolean;
  corrections: string[];
}

/** Words shorter than this are never corrected: too few trigrams to tell a typo from another word. */
export const CORRECTABLE_MIN_LENGTH = 4;

/** Only letters and digits reach a tsquery, so no text a user types can act as a tsquery operator. */
const WORD = /^[\p{L}\p{N}]+$/u;

/**
 * The words of a search: lower-case runs of letters and digits ("C#" → c, "PS5" → ps5,
 * "wi-fi" → wi, fi, as PostgreSQL's parser splits them), each once, at most searchTermsMax.
 */
export function searchTermsOf(q: string): SearchTerm[] {
  const words = [
    ...new Set(
      q
        .normalize('NFKC')
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u),
    ),
  ].filter(Boolean);
  const kept = words.slice(0, LIMITS.searchTermsMax);
  return kept.map((word, i) => ({ word, prefix: i === kept.length - 1 && word.length >= 3, corrections: [] }));
}

/** The alternatives of a term: itself, then its corrections (words from the database, checked again). */
const alternativesOf = (term: SearchTerm) => [term.word, ...term.corrections.filter((w) => WORD.test(w))];

/**
 * tsquery text for `to_tsquery('english', …)`: every term must match; a term matches itself or one
 * of its corrections; the prefix term also as a prefix. `weight` "A" limits it to the name.
 */
export function tsqueryText(terms: SearchTerm[], weight: '' | 'A' = ''): string {
  return terms
    .map((term) => {
      const [word, ...corrections] = alternativesOf(term);
      const own = `${word!}${term.prefix ? `:*${weight}` : weight ? `:${weight}` : ''}`;
      const alternatives = [own, ...corrections.map((w) => (weight ? `${w}:${weight}` : w))];
      return alternatives.length === 1 ? own : `(${alternatives.join(' | ')})`;
    })
    .join(' & ');
}

/** A term's alternatives as the postings are read: whole words, and the typed word as a prefix when it is one. */
export function postingWordsOf(term: SearchTerm): { words: string[]; prefixes: string[] } {
  const [word, ...corrections] = alternativesOf(term);
  return term.prefix ? { words: corrections, prefixes: [word!] } : { words: [word!, ...corrections], prefixes: [] };
}

/** Every word searched, corrections included: what a client highlights. */
export const searchedWords = (terms: SearchTerm[]): string[] => [...new Set(terms.flatMap(alternativesOf))];
