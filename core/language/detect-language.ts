/**
 * Which language a short message is written in, from its common words and its letters: enough to
 * answer in the user's language and to keep languages apart in caches. Knows the languages below;
 * says `undefined` when a message gives no clear sign (a number, a name, a word both languages share).
 */
export type LanguageCode = "en" | "es" | "fr" | "de" | "pt" | "it";

export const languageNames: Record<LanguageCode, string> = {
  en: "English",
  es: "Spanish",
  fr: "French",
  de: "German",
  pt: "Portuguese",
  it: "Italian",
};

const commonWords: Record<LanguageCode, string> = {
  en: "the a an is are was were be been am do does did what whats how which who where when why will would can could should please thanks thank you your my me i it its this that these those there here and or of to in on for with from at by about weather today tomorrow much many hello hi hey yes no not tell give convert search find rate price time need want like calculate what's it's i'm let's don't exchange good morning evening night goodbye bye have nice day now same answer result approximately",
  es: "el la los las un una unos unas es son está están estoy fue ser era qué que cuánto cuánta cuántos cuántas cómo cuál cuáles quién dónde cuándo por favor gracias tú usted mi mis me yo esto esta este eso esa ese hay aquí y o de del al en con para sin sobre desde hasta tiempo hoy mañana hola sí no dime dame convierte busca necesito quiero puedes tengo precio cambio cuesta también muy pero suma resta multiplica divide calcula más menos pásame pasa haz hazlo ahora mismo lo buenas buenos noches días adiós dólares euros yenes respuesta resultado aproximadamente",
  fr: "le la les un une des est sont était être suis que quel quelle quels comment combien où quand pourquoi merci bonjour salut oui non je tu vous mon ma mes ce cette ces il elle et ou de du au aux en dans avec pour sans sur temps aujourd'hui demain s'il plaît réponse résultat environ",
  de: "der die das ein eine einen ist sind war sein bin was wie welche welcher wer wo wann warum bitte danke hallo ja nein nicht ich du sie mein meine dies diese es und oder von zu im mit für ohne auf wetter heute morgen viel antwort ergebnis ungefähr",
  pt: "o a os as um uma é são está estão foi ser sou que qual quais quanto quanta como quem onde quando porquê obrigado obrigada olá sim não eu você meu minha isto isso este esta e ou de do da dos das no na em com para sem sobre tempo hoje amanhã resposta resultado aproximadamente",
  it: "il lo la i gli le un una è sono era essere che quale quali quanto quanta come chi dove quando perché grazie ciao sì no io tu lei mio mia questo questa e o di del della al nel con per senza su tempo oggi domani risposta risultato circa",
};

/** Each common word → the languages it belongs to (one lookup per word of a message). */
const wordLanguages = new Map<string, LanguageCode[]>();
for (const [language, words] of Object.entries(commonWords) as [LanguageCode, string][])
  for (const word of words.split(" ")) wordLanguages.set(word, [...(wordLanguages.get(word) ?? []), language]);

/** Letters and marks that only some of the known languages use. */
const letterSigns: [RegExp, LanguageCode[]][] = [
  [/[¿¡ñ]/, ["es"]],
  [/[ãõ]/, ["pt"]],
  [/[ß]|[äöü]/, ["de"]],
  [/[èêëàâîïôûùœç]/, ["fr", "it", "pt"]],
  [/[áíóú]/, ["es", "pt"]],
];

export interface DetectedLanguage {
  language: LanguageCode;
  /** Share of the evidence that points to this language (0–1). */
  confidence: number;
}

export function detectLanguage(text: string): DetectedLanguage | undefined {
  const lowered = text.toLowerCase();
  const scores = new Map<LanguageCode, number>();
  const add = (language: LanguageCode, amount: number) => scores.set(language, (scores.get(language) ?? 0) + amount);
  for (const word of lowered.match(/[\p{L}']+/gu) ?? []) {
    const matches = wordLanguages.get(word);
    if (matches) for (const language of matches) add(language, 1 / matches.length);
  }
  for (const [pattern, languages] of letterSigns) {
    if (pattern.test(lowered)) for (const language of languages) add(language, 1.5 / languages.length);
  }
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < 1 || (second && second[1] === best[1])) return undefined;
  const total = ranked.reduce((sum, [, score]) => sum + score, 0);
  return { language: best[0], confidence: best[1] / total };
}
