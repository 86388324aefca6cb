import { editDistance } from './edit-distance.js';

/**
 * The candidate the user most likely meant by `word`, or undefined when none is close: the
 * nearest by `editDistance` (case-insensitive) if it is at most max(1, ⌊|word| / 3⌋) edits away,
 * else a candidate that `word` begins with or that begins with `word` (3 characters or more),
 * e.g. "energy-distance" → "energy". Ties go to the earlier candidate; a known word gets none.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.includes(word)) return undefined;
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(w, candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  if (best) return best.candidate;
  if (w.length < 3) return undefined;
  const prefixed = candidates
    .filter((c) => c.length >= 3 && (w.startsWith(c.toLowerCase()) || c.toLowerCase().startsWith(w)))
    .sort((x, y) => Math.abs(x.length - w.length) - Math.abs(y.length - w.length));
  return prefixed[0];
}

// `unknown <what> "<id>"; <known ids, kinds or commands>: a, b, c` — the registry's and the
// command line's own wording for an unknown name.
const UNKNOWN_NAME = /unknown ([a-z][a-z -]*?) "([^"]*)"; ([a-z][a-z -]*?): ([\w.@/-]+(?:, [\w.@/-]+)*)/;

/**
 * `message` with `; did you mean "x"?` after the list of an "unknown … "id"; known … ids: …"
 * phrase, when one of the listed names is close to the unknown one; unchanged otherwise.
 */
export function withDidYouMean(message: string): string {
  const match = UNKNOWN_NAME.exec(message);
  if (!match || /did you mean/.test(message)) return message;
  const suggestion = didYouMean(match[2]!, match[4]!.split(', '));
  if (suggestion === undefined) return message;
  const end = match.index + match[0].length;
  return `${message.slice(0, end)}; did you mean "${suggestion}"?${message.slice(end)}`;
}
