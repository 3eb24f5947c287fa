import type { UserProfile } from "../contracts/profile.ts";
import { foldText } from "../language/compare-words.ts";
import { detectLanguage, type LanguageCode } from "../language/detect-language.ts";

/** How far one turn moves a preference towards what it showed (an exponential moving average). */
export const profileLearningRate = 0.2;
/** How far a request the user makes outright ("shorter, please") moves it. */
const askedRate = 0.6;

/**
 * Requests about the answers themselves, not words that happen to say "long" or "short" ("¿Cuál es el
 * río más largo de España?" asks nothing of the answer): a verb or "answers" goes with the size.
 */
const asksBrief = new RegExp(
  [
    "\\b(be|keep (it|your answers?|them)|answer|make (it|them|your answers?)) (more )?(brief|short|shorter|concise)\\b",
    "\\b(shorter|brief|concise) answers?\\b",
    "\\b(your |the )?(answers?|replies|responses?)( (are|is|were|was))? (too long|shorter)\\b",
    "^(too long|shorter|briefly|shorter please|more briefly)\\W*$",
    "\\b(answer|reply|tell me) in (one|a) (sentence|line)\\b",
    "\\btl;?dr\\b",
    "\\bse breve\\b",
    "\\brespuestas? (mas )?(cortas?|breves?|concisas?)\\b",
    "\\b(tus |las )?(respuestas?|contestaciones?)( (son|es))? demasiado larg[oa]s?\\b",
    "^(demasiado largo|mas corto|mas breve|resumido)\\W*( por favor)?\\W*$",
    "\\b(responde|contesta|dimelo) en (una|pocas) (frase|linea|palabra)s?\\b",
  ].join("|"),
);
const asksDetail = new RegExp(
  [
    "\\b(explain|answer|tell me|describe)\\b.*\\b(more|in) (depth|detail)\\b",
    "^(more|in) (depth|detail)\\b",
    "\\bdetailed (answers?|explanations?|responses?)\\b",
    "\\b(long|longer|thorough|detailed) (answers?|explanations?|responses?)\\b",
    "\\bexplain (it |that |this |things )?(more|further|in depth|in detail)\\b",
    "\\bplease elaborate\\b",
    "\\b(respuestas?|explicaciones?) (mas )?(detallad|larg|complet)[oa]s\\b",
    "\\bexplica(me|melo|lo)?( las cosas)? (con )?(mas detalle|mas|mejor|en detalle)\\b",
    "^(con )?mas detalles?\\W*( por favor)?\\W*$",
  ].join("|"),
);
const asksLists =
  /\b(bullet(ed)? (points?|list)|as a list|in a list|list (them|it)|con vinetas|en (una )?lista|en puntos|enumera(las|los)?)\b/;
const asksProse = /\b(no (lists|bullets)|in prose|without (a list|bullets)|sin (listas|vinetas)|en prosa)\b/;

/** Words that tell what a message is about; a message may be about several topics. */
const topicWords: Record<string, RegExp> = {
  travel:
    /\b(trip|travel|flight|fly|hotel|visit|itinerary|airport|passport|tour|viaje|viajar|vuelo|hotel|visitar|itinerario|aeropuerto|pasaporte)\b/,
  money:
    /\b(price|cost|costs|budget|dollars?|euros?|yen|pounds?|exchange|rate|convert|cheap|expensive|precio|cuesta|presupuesto|dolares|cambio|convierte|barato|caro)\b/,
  weather: /\b(weather|forecast|rain|sunny|temperature|snow|tiempo|pronostico|lluvia|llover|temperatura|nieve|clima)\b/,
  maths:
    /(\d\s*[-+*/x^%]\s*\d|\b(calculate|plus|minus|times|divided|percent|square root|calcula|por ciento|dividido|raiz)\b)/,
  tech: /\b(code|program|programming|software|computer|bug|python|javascript|api|server|codigo|programa|programar|ordenador|servidor)\b/,
  food: /\b(food|eat|restaurant|recipe|cook|dish|comida|comer|restaurante|receta|cocinar|plato)\b/,
};

export interface TurnForLearning {
  userText: string;
  toolsUsed: readonly string[];
}

const toward = (value: number, target: number, rate: number) => value + (target - value) * rate;

/** Moves every share of `shares` towards 1 for the keys in `present` and towards 0 for the others. */
function learnShares(shares: Record<string, number>, present: readonly string[], rate: number): Record<string, number> {
  const next: Record<string, number> = {};
  for (const key of new Set([...Object.keys(shares), ...present])) {
    const value = toward(shares[key] ?? 0, present.includes(key) ? 1 : 0, rate);
    // Forgotten once it no longer counts: the profile stays small.
    if (value >= 0.01) next[key] = Number(value.toFixed(4));
  }
  return next;
}

/** The profile after one more turn of its user. */
export function learnFromTurn(profile: UserProfile, turn: TurnForLearning, rate = profileLearningRate): UserProfile {
  const text = foldText(turn.userText);
  const language = detectLanguage(turn.userText)?.language;
  const topics = Object.entries(topicWords)
    .filter(([, pattern]) => pattern.test(text))
    .map(([topic]) => topic);
  const lengthAsked = asksBrief.test(text) ? -1 : asksDetail.test(text) ? 1 : undefined;
  const listsAsked = asksProse.test(text) ? 0 : asksLists.test(text) ? 1 : undefined;
  return {
    ...profile,
    turns: profile.turns + 1,
    languages: language ? learnShares(profile.languages, [language], rate) : profile.languages,
    answerLength:
      lengthAsked === undefined
        ? profile.answerLength
        : Number(toward(profile.answerLength, lengthAsked, askedRate).toFixed(4)),
    lists: listsAsked === undefined ? profile.lists : Number(toward(profile.lists, listsAsked, askedRate).toFixed(4)),
    tools: learnShares(profile.tools, [...new Set(turn.toolsUsed)], rate),
    topics: learnShares(profile.topics, topics, rate),
    updatedAt: new Date().toISOString(),
  };
}

/** The language the user writes in, once the profile has seen enough of it (3 turns, 60 % of what it learned of languages). */
export function usualLanguage(profile: UserProfile | undefined): LanguageCode | undefined {
  if (!profile || profile.turns < 3) return undefined;
  const shares = Object.entries(profile.languages).sort((a, b) => b[1] - a[1]);
  const total = shares.reduce((sum, [, share]) => sum + share, 0);
  const best = shares[0];
  // Relative to the languages seen: three Spanish turns are Spanish, though their average is still rising.
  return best && best[1] / total >= 0.6 ? (best[0] as LanguageCode) : undefined;
}

/** The default prompt's sentence on length, which a preference replaces. */
const defaultLength = "Answer in one or two sentences.";

/**
 * The system prompt with the user's preferences: brief or detailed answers, lists. The default
 * prompt's sentence on length is replaced; a caller's own prompt gets the preference after it.
 */
export function personalizedPrompt(systemPrompt: string, profile: UserProfile | undefined): string {
  if (!profile) return systemPrompt;
  const length =
    profile.answerLength <= -0.3
      ? "Answer in one short sentence."
      : profile.answerLength >= 0.3
        ? "Answer in detail, in a paragraph or more."
        : undefined;
  let prompt = systemPrompt;
  if (length) prompt = prompt.includes(defaultLength) ? prompt.replace(defaultLength, length) : `${prompt} ${length}`;
  if (profile.lists >= 0.5) prompt = `${prompt} Use a short bulleted list when you list things.`;
  return prompt;
}

const acknowledgments: Record<"brief" | "detailed" | "lists" | "prose", { en: string; es: string }> = {
  brief: { en: "Got it: I'll keep my answers short.", es: "Entendido: responderé de forma breve." },
  detailed: { en: "Got it: I'll answer in more detail.", es: "Entendido: responderé con más detalle." },
  lists: { en: "Got it: I'll use lists when I list things.", es: "Entendido: usaré listas cuando enumere cosas." },
  prose: { en: "Got it: no lists, just prose.", es: "Entendido: sin listas, en prosa." },
};

/**
 * The agent's own answer to a message that only states a preference ("Keep your answers short from
 * now on", "Prefiero respuestas detalladas"): the 0.5B model answered one with "I'm sorry, but I can't
 * assist with that." Undefined for anything that asks something else too (more than 12 words, or a
 * question mark after the request).
 */
export function preferenceAcknowledgment(text: string, language: LanguageCode | undefined): string | undefined {
  const folded = foldText(text).trim();
  if (folded.split(/\s+/).length > 12 || /\?/.test(text)) return undefined;
  const asked = asksBrief.test(folded)
    ? "brief"
    : asksDetail.test(folded)
      ? "detailed"
      : asksProse.test(folded)
        ? "prose"
        : asksLists.test(folded)
          ? "lists"
          : undefined;
  return asked ? acknowledgments[asked][language === "es" ? "es" : "en"] : undefined;
}
