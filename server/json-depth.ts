/**
 * Whether `raw` nests arrays and objects deeper than `maxDepth`, read in one pass over its characters
 * (strings skipped) before anything parses it: a frame of a few thousand `[` costs JSON.parse and the
 * schema check tens of milliseconds, and a burst of them stalls the event loop for everyone.
 */
export function nestsDeeperThan(raw: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < raw.length; index++) {
    const code = raw.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return false;
}
