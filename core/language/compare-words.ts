/** Lower case without accents: how words are compared across spellings ("Málaga" and "malaga"). */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
}

/**
 * Whether two words are at most `maxEdits` letters apart (changed, added or dropped). Words longer
 * than `maxLength` are never compared letter by letter: the check stays cheap on hostile input.
 */
export function withinEditDistance(left: string, right: string, maxEdits: number, maxLength = 40): boolean {
  if (Math.max(left.length, right.length) > maxLength || Math.abs(left.length - right.length) > maxEdits) return false;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (left[i - 1] === right[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[right.length]! <= maxEdits;
}
