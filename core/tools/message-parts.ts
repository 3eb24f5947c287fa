/**
 * The parts of a message that could each ask for something on their own: split at question marks,
 * semicolons, commas and the words that join requests ("and", "also", "y", "también", "además").
 * Parts of fewer than three words ("and yen") are left out: they lean on the part before them.
 */
export function messageParts(message: string): string[] {
  return message
    .split(/[?¿!¡;,]|\b(?:and|also|plus|then|y|e|también|además|luego)\b/i)
    .map((part) => part.trim())
    .filter((part) => part.split(/\s+/).filter((word) => /\p{L}|\d/u.test(word)).length >= 3);
}
