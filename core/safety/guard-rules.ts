/**
 * The rule layer: a few patterns that are never innocent, checked in microseconds before any model.
 * They read normalized text (normalize-text.ts). Everything subtler is the classifier's.
 */
export interface RuleMatch {
  category: string;
  rule: string;
}

interface Rule {
  name: string;
  category: string;
  pattern: RegExp;
}

const injectionRules: Rule[] = [
  {
    name: "ignore-instructions",
    category: "injection",
    pattern:
      /\b(ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}\b(previous|prior|above|earlier|all|any|your|the|system|original)\b[^.!?\n]{0,25}\b(instructions?|rules|prompts?|directions|guidelines|guardrails)\b/i,
  },
  {
    name: "ignora-instrucciones",
    category: "injection",
    pattern:
      /\b(ignora|ignore|olvida|olvide|omite|omita|descarta|salta(te)?)\b[^.!?\n]{0,40}\b(instrucciones|reglas|indicaciones|directrices|[oó]rdenes)\b/i,
  },
  {
    name: "reveal-system-prompt",
    category: "injection",
    pattern:
      /\b(reveal|show|print|repeat|output|leak|dump|display)\b[^.!?\n]{0,30}\b(system prompt|hidden (prompt|instructions)|initial instructions|your instructions)\b/i,
  },
  {
    name: "revela-prompt",
    category: "injection",
    pattern:
      /\b(revela|muestra|muestre|imprime|repite|escribe)\b[^.!?\n]{0,30}\b(prompt del sistema|mensaje del sistema|instrucciones (iniciales|ocultas|del sistema)|tus instrucciones)\b/i,
  },
  {
    name: "persona-switch",
    category: "injection",
    pattern:
      /\b(you are now|from now on,? you (are|will)|act as|pretend to be)\b[^.!?\n]{0,30}\b(DAN|jailbroken|unrestricted|unfiltered|without (any )?(rules|restrictions|filters))\b/i,
  },
  {
    name: "note-to-ai",
    category: "injection",
    pattern:
      /\b(note|message|instruction)s? (to|for) (the |any )?(AI|LLM|assistant|language model|chatbot)s?\b|\b(AI|LLM) (assistants?|models?|agents?) (reading|processing|summari[sz]ing) this\b/i,
  },
  {
    name: "nota-para-ia",
    category: "injection",
    pattern:
      /\b(nota|mensaje|instrucci[oó]n) (para|a) (la |el |cualquier )?(IA|asistente|modelo de lenguaje|chatbot)\b|\b(si eres|eres) (una |un )?(IA|asistente virtual|modelo de lenguaje)\b/i,
  },
  {
    name: "markdown-exfiltration",
    category: "injection",
    pattern:
      /!\[[^\]]{0,200}\]\(https?:\/\/[^)\s]{0,512}[?&][\w-]{0,64}=\s*[{[(<]?\s*(conversation|chat|history|messages?|user|prompt|secret|password|token)/i,
  },
];

const harmRules: Rule[] = [
  {
    name: "explosive-device",
    category: "weapons",
    pattern:
      /\b(how (do|can|could|would|should) (i|we|you|one)|steps to|instructions (for|to)|teach me to|help me)\b[^.!?\n]{0,30}\b(make|build|assemble|construct)\b[^.!?\n]{0,20}\b(a |an )?(pipe bomb|(?<!(?:bath|seed|glitter|stink|photo|smoke|calorie|flavou?r) )bomb|explosive device|ied|molotov|napalm|nerve agent|sarin|ricin|dirty bomb)\b/i,
  },
  {
    name: "artefacto-explosivo",
    category: "weapons",
    pattern:
      /\b(c[oó]mo|pasos para|ens[eé][nñ]ame a|ay[uú]dame a)\b[^.!?\n]{0,30}\b(hago|hacer|fabrico|fabricar|construyo|construir|armo|armar)\b[^.!?\n]{0,20}\b(una )?(bomba(?! de (?:ba[nñ]o|semillas|humo|agua|calor|chocolate|crema|purpurina))|explosivo|artefacto explosivo|c[oó]ctel molotov|napalm|gas sar[ií]n|ricina)\b/i,
  },
];

/** People as the object of a violent verb: "my neighbour", "a child", "someone", "mi jefe", "a alguien". */
const person =
  "(?:(?:my|his|her|our|your|their|a|an|the|some|that|this)?\\s*(?:(?:ex-?|step-?|little |old |annoying |stupid |own )?(?:wife|husband|girlfriend|boyfriend|partner|neighbou?r|boss|co-?worker|colleague|teacher|classmate|roommate|landlord|mother|mom|mum|father|dad|brother|sister|son|daughter|child|kid|baby|toddler|grandma|grandmother|grandpa|grandfather|friend|ex|cousin|uncle|aunt|family|people|person|human|stranger|cop|police officer|politician|president|senator|judge|witness|girl|boy|woman|man|guy))s?|someone|somebody|anyone|everyone|him|her|them)";
const violentVerb =
  "(?:kill|murder|poison|stab|strangle|choke|smother|drown|kidnap|abduct|torture|maim|mutilate|dismember|behead|shoot|beat up|beat|hurt|assassinate|suffocate|burn|run over)";
const persona =
  "(?:(?:a |al |la |el |los |las |mis? |tus? |sus? |un |una )?(?:mi |tu |su )?(?:espos[oa]|mujer|marido|novi[oa]|pareja|vecin[oa]s?|jef[ea]|compañer[oa]s?|profesor[a]?|maestr[oa]|padre|madre|mam[aá]|pap[aá]|herman[oa]|hij[oa]|niñ[oa]s?|bebé|beb[eé]|abuel[oa]|amig[oa]s?|ex|prim[oa]|tí[oa]|familia|gente|persona|personas|desconocid[oa]|policía|polic[ií]a|político|juez|testigo|chica|chico|hombre|señor[a]?)|alguien|él|ella|ellos)";
const verboViolento =
  "(?:matar|asesinar|envenenar|apuñalar|acuchillar|estrangular|ahogar|asfixiar|secuestrar|raptar|torturar|mutilar|descuartizar|decapitar|disparar|dispararle|pegar|pegarle|golpear|lastimar|herir|quemar|atropellar|matarl[oa]|envenenarl[oa])";

/** A game, story or sport around the verb makes it harmless: "kill someone in Call of Duty", "beat my wife at chess". */
const playContext =
  "(?![^.!?\\n]*\\b(?:in|at|on|during|for|en|al|a la|durante|para)\\s+(?:a |an |the |my |our |un |una |el |la |mi )?(?:\\w+\\s+){0,2}?(?:games?|video ?games?|match|chess|checkers|draughts|poker|cards|scrabble|monopoly|tennis|fifa|play|novel|story|stories|movie|film|book|script|screenplay|tournament|race|debate|argument|contest|minecraft|fortnite|call of duty|gta|counter-?strike|league of legends|among us|zelda|mario|sims|roblox|juegos?|videojuegos?|partida|ajedrez|damas|cartas|novela|historia|pel[ií]cula|libro|guion|torneo|carrera|debate)\\b)";

const violenceRules: Rule[] = [
  {
    name: "violence-against-person",
    category: "violence",
    pattern: new RegExp(
      `\\b(?:how (?:do|can|could|would|should) (?:i|we|you|one)|how to|best way to|easiest way to|help me|teach me (?:how )?to|i want to|i'm going to|i am going to|ways to|tips (?:for|on)|plan to)\\s+(?:\\w+\\s+){0,3}?${violentVerb}\\s+${person}\\b${playContext}`,
      "i",
    ),
  },
  {
    name: "violencia-contra-persona",
    category: "violence",
    pattern: new RegExp(
      `\\b(?:c[oó]mo (?:puedo |podr[ií]a |se puede |hago para |)|la mejor (?:manera|forma) de|ay[uú]dame a|ens[eé][nñ]ame a|quiero|voy a|formas? de|pasos para)\\s*(?:\\w+\\s+){0,3}?${verboViolento}\\s+${persona}\\b${playContext}`,
      "i",
    ),
  },
];

function firstMatch(text: string, rules: readonly Rule[]): RuleMatch | undefined {
  for (const rule of rules) if (rule.pattern.test(text)) return { category: rule.category, rule: rule.name };
  return undefined;
}

/** An instruction addressed to the model inside text that should only be data (or a user's jailbreak). */
export function matchInjectionRule(text: string): RuleMatch | undefined {
  return firstMatch(text, injectionRules);
}

/** A request no context makes innocent. */
export function matchHarmRule(text: string): RuleMatch | undefined {
  return firstMatch(text, harmRules) ?? firstMatch(text, violenceRules);
}
