const joiningWords = "and|also|plus|then|y|e|también|además|luego";
const partSeparators = new RegExp(`[?¿!¡;,]|\\b(?:${joiningWords})\\b`, "i");
const listMarkers = new RegExp(
  `;|,(?!\\d)|\\b(?:${joiningWords}|or|o|u|et|ou|und|oder|vs|versus|both|each|ambos|ambas|cada)\\b`,
  "i",
);

/**
 * Whether a message lists several things (a semicolon, a comma that is no decimal or thousands mark, a
 * joining word such as "and", "y", "or", "each"): only then may one request need several calls of a tool
 * ("weather in Tokyo and Paris"); "What is 18% of 250?" needs one.
 */
export function listsSeveralThings(message: string): boolean {
  return listMarkers.test(message);
}

/**
 * The parts of a message that could each ask for something on their own: split at question marks,
 * semicolons, commas and the words that join requests ("and", "also", "y", "también", "además").
 * Parts of fewer than three words ("and yen") are left out: they lean on the part before them.
 */
export function messageParts(message: string): string[] {
  return message
    .split(partSeparators)
    .map((part) => part.trim())
    .filter((part) => part.split(/\s+/).filter((word) => /\p{L}|\d/u.test(word)).length >= 3);
}
