import { distance } from "fastest-levenshtein";

/**
 * The known word a typo most likely meant: the closest by edit distance (a shared prefix breaks
 * ties), if it is close enough to be a typo: two edits (a swapped pair, "lsit" for "list"), or one
 * per three letters of a long word. Null when nothing is that close, so a guess is never random.
 */
export function nearestWord(word: string, known: readonly string[]): string | null {
  let best: { word: string; distance: number; prefix: number } | null = null;
  for (const candidate of known) {
    if (candidate === word) continue;
    const edits = distance(candidate, word);
    let prefix = 0;
    while (prefix < candidate.length && candidate[prefix] === word[prefix]) prefix++;
    if (!best || edits < best.distance || (edits === best.distance && prefix > best.prefix)) best = { word: candidate, distance: edits, prefix };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.word : null;
}
