/** Escapes a word for a regular expression; the words come from the API's answer, never trusted as patterns. */
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with every word starting with one of `words` marked. React renders each piece as text,
 * so nothing in a product name or a search can become markup.
 */
export function HighlightedText({ text, words }: { text: string; words: readonly string[] }) {
  const usable = words.filter((word) => word.length > 0);
  if (usable.length === 0) return <>{text}</>;
  const longestFirst = [...usable].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${longestFirst.join('|')})`, 'giu');
  const pieces: { text: string; marked: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) pieces.push({ text: text.slice(last, match.index), marked: false });
    pieces.push({ text: match[0], marked: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), marked: false });
  return (
    <>
      {pieces.map((piece, i) => (piece.marked ? <mark key={i}>{piece.text}</mark> : <span key={i}>{piece.text}</span>))}
    </>
  );
}
