/**
 * Order of file paths, graph names and ids everywhere evalgate sorts them: by UTF-16 code units.
 * localeCompare follows the machine's locale (LANG=sv_SE puts "ä" after "z", en_US before it), so
 * two CI runners could deal shards, order a report or fingerprint a plan differently; its first
 * call also loads ICU's collation data, a few milliseconds of every run's start-up.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
