/**
 * Instructions planted in data for the model that reads it (indirect prompt injection), found by the
 * shape of the text rather than by known phrases: a web page, a search snippet or an API's JSON talks
 * about its subject to a human reader; an injection talks to the AI that reads it, about what only an
 * AI in a conversation has (its instructions, its system prompt, "the user", this chat, its tools).
 *
 * Each rule joins two cheap signals within one sentence (an addressee and a directive, an override
 * verb and an AI's instructions, a send verb and the user's data…) so that neither alone blocks:
 * recipes are full of imperatives, job ads say "send your CV to", and security pages say "never share
 * your password". English and Spanish. Every gap is a bounded run of one character class and the
 * alternations are plain word lists, so each pattern runs in time linear in the text.
 *
 * Read only in tool results: a user may well ask what "ignore previous instructions" means.
 */
import { matchInjectionRule, type RuleMatch } from "./guard-rules.ts";

export interface Rule {
  name: string;
  pattern: RegExp;
}

/** Up to `max` characters of the same sentence (line breaks and sentence ends stop it). */
const gap = (max: number) => `[^.!?\\n]{0,${max}}`;
/** The same, but a sentence end is allowed: for the text right after "SYSTEM:" and the like. */
const span = (max: number) => `[^\\n]{0,${max}}`;

/** Who an injection addresses: an AI model, an assistant, an automated agent. */
const aiNoun =
  "(?:AI|A\\.I\\.|LLMs?|GPTs?|ChatGPT|Claude|Gemini|Copilot|chat ?bots?|bots?|assistants?|language models?|models?|agents?|crawlers?|IA|asistentes?|modelos?(?: de lenguaje)?|agentes?)";
/** "AI", "virtual", "automated"… in front of the noun: "AI shopping agents", "virtual assistants". */
const aiModifier =
  "(?:(?:AI|A\\.I\\.|IA|LLM|virtual|automated|autonomous|digital|smart|shopping|coding|browsing|research|screening|programming)[ -])";
const addressee = `(?:whoever (?:is )?(?:reading|processing|summari[sz]ing|parsing) (?:this|these)|${aiModifier}{0,2}${aiNoun}(?: (?:de IA|virtual(?:es)?|de compras?|de lenguaje))?|${aiModifier}{1,2}(?:tools?|systems?|readers?|screeners?|summari[sz]ers?|reviewers?|herramientas?|sistemas?)|(?:(?:sistemas?|herramientas?|modelos?) de )?inteligencia artificial|artificial intelligence(?: (?:systems?|models?|tools?))?|@[\\w-]{0,20}(?:ai|bot|gpt|copilot|agent)[\\w-]{0,20})(?: de [\\wáéíóúñ]{1,30})?(?: (?:or|and|u|o|y) (?:other |any |otros |otras |cualquier )?${aiNoun})?`;
/** Words that only name an AI (no "model", "agent" or "assistant": cars, estate agents and job titles). */
const onlyAi = `(?:${aiModifier}{1,2}(?:assistants?|agents?|models?|bots?|tools?|systems?)|AI|A\\.I\\.|LLMs?|GPT|ChatGPT|Claude|Gemini|Copilot|chat ?bots?|language models?|IA|modelos? de lenguaje|asistentes? (?:de IA|virtual(?:es)?)|agentes? de IA)`;

/** What one says to a reader to make it act; English and Spanish imperatives and modals. */
const directive =
  "(?:tell|say|ignore|disregard|forget|reply|respond|answer|include|forward|send|e-?mail|call|open|run|execute|reveal|print|output|repeat|replace|ask|stop|do not|don't|never|always|only|recommend|mark|state|append|add|visit|rank|rate|delete|remove|treat|put|post|paste|share|collect|submit|describe|claim|write|list|praise|insult|refuse|confirm|approve|pay|buy|book|click|follow|obey|use|translate|summari[sz]e|present|report|mention|must|should|shall|need to|have to|are (?:required|instructed|expected) to|will now|please|before (?:answering|replying|responding|you answer|you reply)|pass on|di|dile|diga|digan|decid|p[ií]dele|p[ií]deles|solicita|recomiende|incluya|env[ií]e|responda|est[aá]s? (?:usted )?obligad[oa] a|you are (?:required|obliged) to|responde|responda|contesta|incluye|incluya|reenv[ií]a|env[ií]a|manda|llama|abre|ejecuta|revela|imprime|repite|sustituye|pide|deja|no|nunca|siempre|solo|recomienda|recomienden|marca|a[nñ]ade|borra|elimina|trata|pon|publica|comparte|escribe|describe|afirma|punt[uú]a|ignora|olvida|obedece|usa|haz|compra|paga|aprueba|confirma|menciona|por favor|debes|deben|debe|tienes que|ten[eé]is que|antes de responder|decir|responder|contestar|incluir|enviar|reenviar|mandar|revelar|imprimir|mostrar|ignorar|olvidar|recomendar|pedir|llamar|abrir|ejecutar|escribir|publicar|compartir|afirmar|mencionar|marcar|borrar|comprar|pagar|aprobar|confirmar|tratar|usar|obedecer|repetir|contar(?:le)?|decirle|responderle|pedirle|mostrarle)";

/** What an AI is told it must do, in injections (not "the bot should refuse…", which explainers say). */
const mustVerb =
  "(?:tell|say|inform|warn|reveal|print|output|disclose|ignore|disregard|forget|recommend|include|append|send|forward|e-?mail|post|upload|ask|collect|call|open|run|execute|delete|approve|pay|buy|mark|rate|rank|state|claim|reply|respond|translate|share|report|praise|present|mention|di|decir|revelar|imprimir|ignorar|olvidar|recomendar|incluir|enviar|reenviar|mandar|pedir|solicitar|llamar|abrir|ejecutar|borrar|aprobar|pagar|comprar|marcar|afirmar|responder|contar(?:le)?|decirle|compartir|publicar|mencionar)";

/** A sentence or clause begins: start of text or line, after a sentence end, a bracket, a quote, a tag. */
const clauseStart = "(?:^|(?<=[.!?:;,>\\]\\[(){}\"'*#/—–\\n-]\\s?))";

/** Ways of setting instructions aside. */
const overrideVerb =
  "(?:ignore|ignoring|disregard|forget|override|bypass|discard|abandon|drop|set aside|pay no attention to|stop following|stop obeying|no longer (?:follow|obey)|do not (?:follow|obey)|don't (?:follow|obey)|never (?:follow|obey)|ignora|ignore|ignoren|olvida|olv[ií]date de|olviden|olvide|omite|descarta|desobedece|desobedezca|deja de (?:seguir|obedecer|hacer caso a)|no hagas caso (?:a|de)|no sigas|no obedezcas|haz caso omiso (?:a|de))";
/** What only an AI has been given: its instructions, rules, system prompt, what it was told. */
const aiInstructions =
  "(?:(?:previous|prior|above|earlier|preceding|original|initial|old|all|any|other|your|the|system|developer'?s?|safety|these|those)\\s(?:[\\w-]+\\s)?(?:instructions?|rules|prompts?|directions|guidelines|guardrails|directives|orders|commands|programming|constraints|restrictions|filters|policies|context|task|system message|developer message)|what(?:ever)? (?:you (?:were|have been|'ve been|are being) (?:told|given|asked)|the user (?:says|said|asks|asked|wants))|everything (?:above|before|else|you (?:were|have been) told|that came before)|the above|(?:todo )?lo anterior|the (?:system|developer) (?:message|prompt)|the user(?:'s (?:request|question|message|instructions))?|(?:whatever|any|the|all) (?:rules|instructions|guidelines|orders|directions) (?:you (?:were|have been|'ve been) given|(?:that )?you (?:received|got|have))|(?:las )?(?:reglas|instrucciones|[oó]rdenes) que te (?:dieron|han dado|hayan dado)|(?:tus|las|todas las|sus) (?:instrucciones|reglas|indicaciones|directrices|[oó]rdenes|restricciones|filtros|normas)|(?:instrucciones|reglas|indicaciones|directrices|[oó]rdenes) (?:anteriores|previas|originales|iniciales|del sistema)|lo que (?:te )?(?:han|hayan|hab[ií]an|ha) (?:dicho|pedido|indicado)|(?:el|al) mensaje del (?:sistema|desarrollador)|(?:al|del) usuario|la (?:pregunta|petici[oó]n) del usuario)";

/** What an assistant holds that a page has no business asking for. */
const secretTarget =
  "(?:system (?:prompt|message)|developer (?:message|prompt|instructions)|initial (?:prompt|instructions)|(?:hidden|internal|secret|original|full|complete|exact) (?:prompt|instructions|configuration|config|rules|guidelines|notes)|your (?:\\w+ )?(?:instructions|configuration|config|prompt|guidelines|rules|memory)|(?:any|all|every) (?:of )?(?:the |your )?(?:API keys?|access tokens?|secrets|credentials|passwords|environment variables?|keys)|[A-Z][A-Z0-9]*_(?:API_)?(?:KEY|TOKEN|SECRET)\\b|(?:its|their|the operator's|their operator's|the owner's) (?:API keys?|access tokens?|credentials|secrets|passwords)|what (?:you were|you've been|you have been) told|prompt del sistema|mensaje del (?:sistema|desarrollador)|(?:instrucciones|configuraci[oó]n|notas|reglas) (?:ocultas?|internas?|iniciales|originales|del sistema)|tus (?:instrucciones|reglas|directrices|configuraci[oó]n|claves)|(?:las|todas las|tus) claves(?: de API)?|variables de entorno)";
const revealVerb =
  "(?:reveal|print|output|leak|dump|disclose|expose|display|show|repeat|quote|recite|paste|write out|write down|tell me|give me|share|include|send|list|spell out|revela|muestra|imprime|repite|escribe|comparte|incluye|env[ií]a|dime|dame|cita|copia|pega|lista|ense[nñ]a)";

/** Sending out what the user said or owns. */
const sendVerb =
  "(?:send|forward|e-?mail|mail|post|upload|submit|transmit|copy|paste|leak|share|include|append|add|attach|encode|embed|put|bcc|cc|sync|publish|reenv[ií]a|reenviar|env[ií]a|enviar|manda|mandar|sube|subir|publica|publicar|comparte|compartir|incluye|incluir|a[nñ]ade|a[nñ]adir|adjunta|adjuntar|copia|copiar|pega|pegar)";
const userData =
  "(?:(?:this|the|our|your|entire|whole|full|complete) (?:\\w+ )?(?:conversation|chat(?: history| log| transcript)?|dialog(?:ue)?|message history)|chat so far|(?:last|previous|earlier|recent) (?:\\w+ )?messages|messages (?:of|in|from) (?:this|the) (?:chat|conversation)|(?:conversation|chat) history|everything (?:the user|you know about|they told you)|(?:the|this) user'?s\\b|user data|personal data|(?:their|his|her) (?:password|PIN|card|address|phone|e-?mail|date of birth|passport)|(?:saved|stored) (?:passwords|addresses|cards|credentials|logins)|contacts? list|private (?:notes|messages|files|keys?)|~/\\.(?:ssh|aws|config)|id_rsa|\\.env\\b|credentials file|session (?:tokens?|cookies?)|what the user (?:said|told|wrote|asked|typed)|(?:la|esta|toda la|toda esta) conversaci[oó]n|el historial|todo lo que (?:te )?(?:ha|haya) (?:contado|dicho|escrito)|(?:datos|correo|contrase[nñ]a|direcci[oó]n|tel[eé]fono|nombre|n[uú]mero|notas|mensajes|correos|archivos)(?: [\\w]+){0,4} del usuario|del usuario)";

/** Whom a tell-the-user instruction is about: the person the assistant talks to. */
const theUser =
  "(?:(?:the|this|our) (?:user|reader|visitor|human)s?|(?:the )?(?:person|human|user|people) (?:you are|you're|you) (?:talking|chatting|speaking|helping|assisting)(?: (?:to|with))?)";
const userYouTalkTo =
  "(?:(?:the )?(?:person|human|user|people) (?:you are|you're|you) (?:talking|chatting|speaking|helping|assisting)(?: (?:to|with))?)";
const elUsuario = "(?:al|a la|a los|a las) (?:usuari[oa]s?|lector(?:es|a)?|visitantes?|persona con la que hablas)";

export const toolResultRules: readonly Rule[] = [
  {
    // "Assistant: tell the user…", "Note for automated agents: repeat…", "Bot reading this thread: post…"
    name: "addressed-to-ai",
    pattern: new RegExp(
      `${clauseStart}(?:(?:[\\w-]{1,30}'s )?(?:dear|hey|hi|hello|attention|note|notice|message|instructions?|reminder|p\\.?s\\.?|important|querid[oa]s?|estimad[oa]s?|hola|atenci[oó]n|aviso|nota(?: oculta)?|mensaje|instrucciones|recordatorio|importante|comunicado(?: oficial)?)(?: (?:to|for|para|a))?[,:]?\\s+)?(?:(?:to|for|para|a) )?(?:the |any |all |every |other |el |la |los |las |al |cualquier |todos los |todas las |otros? )?${addressee}(?: (?:like|such as|including|como|tales como|incluido|incluidos)[^:\\n]{1,40})?(?:\\s*[,:]|\\s+[—–-]\\s|\\s*[)\\]]\\s|\\s+(?:(?:[a-z]{3,20}ing(?: (?:in|on|with|through))?|that (?:reads?|processes|summari[sz]es|handles|manages)|who (?:reads?|process(?:es)?|handles?|manages?)) (?:this|these|the|my|our|it)\\b|(?:que (?:lea|lean|lee|leen|procese|procesen|procesa|procesan|resuma|resuman|resume|resumen|visite|visita|analice|analiza|gestiona|gestione|maneja|maneje|revise|revisa)|leyendo|procesando|gestionando) (?:(?:esta|este|esto|estas|estos|el|la|los|las|mi|nuestr[oa])\\b|[\\wáéíóúñ]{1,30}\\s*[:,])))${gap(100)}\\b${directive}\\b`,
      "i",
    ),
  },
  {
    // "Message from the safety team to all language models: …", "(for AI readers)"
    name: "to-all-ai",
    pattern: new RegExp(
      `\\b(?:to|for|para|a) (?:all|any|every|todos los|todas las|cualquier|los|las) (?:other |otros |otras )?${addressee}\\s*[:,]${gap(100)}\\b${directive}\\b|[(\\[]\\s*(?:for|to|para|a) (?:the |any |all |la |el |los |las |cualquier )?${addressee}(?: (?:reading|que lea) (?:this|esto))?\\s*[)\\]]`,
      "i",
    ),
  },
  {
    // The same moves in other languages a page may be written in (French, Italian, German, Portuguese,
    // Russian, Chinese, Japanese): an override of earlier instructions, or an AI addressed by name.
    name: "other-languages",
    pattern:
      /(?:ignor(?:e|ez|er|a|are|iere|ieren|e as|ar)|oubli(?:e|ez|er)|dimentica|vergiss|esque[çc]a|игнорируй|забудь)\s[^.!?\n]{0,30}(?:instructions|istruzioni|anweisungen|instruktionen|instru[çc][õo]es|инструкции|указания)|忽略[^。！？\n]{0,12}(?:指示|指令|说明|規則|规则)|(?:以前|前)の指示を無視|(?:assistant(?:e)? (?:IA|d'IA|de IA)|KI-Assistent(?:en)?|ИИ-ассистент|AI助手|人工智能助手|AIアシスタント)\s*[:：,，]/i,
  },
  {
    name: "if-you-are-an-ai",
    pattern: new RegExp(
      `\\b(?:if|when|si|cuando) (?:you are|you're|eres|est[aá]s siendo|lees esto siendo) (?:an? |una? |the |el |la )?${addressee}\\b|\\b(?:if|when|si|cuando) (?:an?|any|the|una?|alg[uú]n|cualquier|la|el) ${addressee} (?:[a-z]{3,20}ing (?:this|these|the) [a-z]{1,30} )?(?:reads?|summari[sz]es|processes|parses|visits|sees|is (?:reading|summari[sz]ing|asked)|would|could|will|lee|resume|procesa|analiza|visita|ve)\\b${gap(80)}\\b(?:say|tell|claim|state|describe|recommend|respond|reply|answer|ignore|mention|report|include|rate|rank|present|suggest|di|diga|dile|responda|recomiende|incluya|ignore|mencione|afirme|describa|que diga)\\b`,
      "i",
    ),
  },
  {
    // "AI assistants must…", "the assistant should tell…", "el asistente debe…"
    name: "ai-must",
    pattern: new RegExp(
      `(?:\\b${onlyAi}|\\b(?:the|any|all|every|el|la|los|cualquier) (?:assistants?|asistentes?|models?|modelos?|bots?)|${clauseStart}(?:assistants?|asistentes?|models?|modelos?|bots?))(?:\\s(?:working|reading|operating|running|processing|visiting|browsing|que (?:trabaje|lea|procese)n?)${gap(40)})?\\s(?:(?:must(?: not|n't)?|should(?: not|n't)?|shall(?: not)?|needs? to|has to|have to|(?:is|are) (?:now )?(?:required|instructed|expected|authori[sz]ed|allowed|permitted|free) to|will now|(?:no )?(?:debe|deben|tiene que|tienen que|ha de|han de|puede|pueden)|(?:est[aá]n?) (?:autorizad[oa]s?|obligad[oa]s?) a)\\s(?:(?:now|always|also|only|first|immediately|ahora|siempre|tambi[eé]n|solo|primero) ){0,2})${mustVerb}\\b`,
      "i",
    ),
  },
  {
    name: "override-instructions",
    pattern: new RegExp(`\\b${overrideVerb}\\b${gap(30)}\\b${aiInstructions}`, "i"),
  },
  {
    // "Your original task is cancelled", "the instructions you received are outdated"
    name: "instructions-void",
    pattern:
      /\b(?:your (?:(?:original|previous|prior|current|initial|earlier|old|real|actual) )?(?:task|tasks|instructions|objective|goal|assignment|prompt|rules|directives|orders)|(?:tu|tus) (?:tarea|instrucciones|objetivo|reglas|[oó]rdenes)(?: (?:original|originales|anterior|anteriores|actual|actuales|inicial|iniciales))?|(?:instructions?|rules|prompt|orders|instrucciones) (?:you (?:received|were given|got|have)|que (?:recibiste|te dieron|tienes))(?: from (?:the user|your developers?))?|(?:previous|prior|original|earlier|anterior) (?:system|developer) (?:message|prompt|instructions)|(?:el )?mensaje (?:de|del) sistema anterior|previous context)\s(?:(?:is|are|was|were|has been|have been|have|has|queda|quedan|est[aá]n?|ha sido|han sido|han|ha|son|es)\s)?(?:now |ahora |ya )?(?:cancell?ed|void|obsolete|outdated|revoked|replaced|superseded|changed|updated(?= by| from|:)|actualizad[ao]s(?= por|:)|cambiad[ao]s(?= por|:)|no longer (?:valid|apply|applies|relevant|in effect)|only a test|a test|overridden|expired|caducad[ao]s?|expirad[ao]s?|cancelad[ao]s?|anulad[ao]s?|obsolet[ao]s?|revocad[ao]s?|sustituid[ao]s?|ya no (?:es|son) v[aá]lid[ao]s?|solo (?:era|eran) una prueba)\b/i,
  },
  {
    name: "new-instructions",
    pattern: new RegExp(
      `\\b(?:new|updated|real|true|actual|priority) (?:system (?:prompt|message)|instructions|directives?|objective|task|rules|policy|role|orders)(?: (?:for|to) (?:the |any |all )?${addressee})?\\s*(?:[:\\]—–]|\\bfrom (?:your|the) (?:developers?|creators?|admins?|administrators?|operators?|owners?|system))|\\byour (?:new|real|true|actual) (?:objective|task|goal|instructions|directive|role|purpose|job|name|identity|persona|orders) (?:is|are|now)\\b|\\[\\s*(?:new )?system (?:prompt|override|message)\\s*\\]|\\b(?:system|admin|developer) override\\b|\\bjailbreak(?:ed)? mode\\b|\\b(?:developer|admin|god|debug|DAN|jailbreak|unrestricted|sudo) mode (?:enabled|activated|is (?:now )?(?:on|active|enabled))|\\byou are (?:now )?in (?:developer|admin|god|debug|DAN|jailbreak|unrestricted|sudo) mode\\b|\\bmodo (?:desarrollador|libre|sin restricciones|dios|administrador) (?:activado|activo|habilitado)|\\bmodo sin restricciones\\b|\\bnuev[oa]s? (?:instrucciones|prompt del sistema|objetivo|directrices|pol[ií]tica|tarea)(?: (?:para|a) (?:el |la |los |las |cualquier )?${addressee})?\\s*[:\\]—–]|\\bnuevas instrucciones de (?:tus|los) (?:desarrolladores|creadores|administradores)|\\btu (?:nuevo|verdadero|nueva|verdadera) (?:objetivo|tarea|nombre|rol|misi[oó]n|funci[oó]n) es\\b`,
      "i",
    ),
  },
  {
    name: "reveal-secrets",
    pattern: new RegExp(
      `(?<!\\b(?:never|not|don't|nunca|no)\\s(?:\\w+\\s)?)\\b${revealVerb}\\b${gap(50)}\\b${secretTarget}|\\bwhat (?:is|are|were) your (?:system prompt|instructions|initial prompt|hidden rules|rules)\\b|\\bcu[aá]l(?:es)? (?:es|son) (?:tu prompt del sistema|tus instrucciones|tus reglas ocultas)`,
      "i",
    ),
  },
  {
    name: "send-user-data",
    pattern: new RegExp(
      `(?<!\\b(?:never|not|don't|nunca|no)\\s(?:\\w+\\s)?)\\b${sendVerb}\\b${gap(60)}(?<!\\w)${userData}`,
      "i",
    ),
  },
  {
    // "…the user's private messages and send them to archive@…", "…followed by the URL-encoded text of the user's message"
    name: "user-data-out",
    pattern: new RegExp(
      `(?<!\\w)${userData}${gap(80)}\\b${sendVerb}\\b${gap(40)}(?:[\\w.+-]{1,64}@[\\w-]{1,64}\\.[\\w.]{1,64}|https?:\\/\\/|www\\.)|\\b(?:url-?encoded|base64(?:-encoded)?|encoded|hex-encoded|codificad[oa]s?)\\b${gap(60)}(?<!\\w)${userData}`,
      "i",
    ),
  },
  {
    name: "tell-the-user",
    pattern: new RegExp(
      `\\b(?:tell|inform|warn|notify|remind|advise|convince|persuade|assure|reassure|ask|urge|instruct|direct|suggest|recommend|say to|explain to|reply to|respond to|let)\\s(?:${theUser}|users)(?:\\s(?!what|how|why|when|where|which|whether|if)[\\w'’]|\\s?[:,])|\\b(?:dile|di|d[ií]gale|d[ií]ganle|dec[ií]dle|informa|inf[oó]rmale|avisa|av[ií]sale|advierte|advi[eé]rtele|comunica|comun[ií]cale|recuerda|recu[eé]rdale|convence|pide|p[ií]dele|pregunta|preg[uú]ntale|hazle saber|explica|expl[ií]cale|responde|resp[oó]ndele|contesta|recomienda|recomiende|sugiere|sugiera|solicita|solicitar|pedir|decir|decirle|recomendar)\\s(?:(?:tambi[eé]n|ahora|luego|siempre|adem[aá]s) )?${elUsuario}\\b`,
      "i",
    ),
  },
  {
    name: "persona-rewrite",
    pattern: new RegExp(
      `\\b(?:you are no longer|you now work for|you are now (?:speaking|talking) (?:to|with)|from (?:now on|this (?:point|moment) on),? (?:you|respond|reply|answer|act|obey|speak|only)|a partir de (?:ahora|este momento),? (?:eres|responde|respondes|responder[aá]s|trabajas para|act[uú]a|act[uú]as|obedece)|ya no eres (?:un|una|el|la) (?:asistente|IA|modelo|bot)|ahora trabajas para|stay in character|roleplay|role-play|finge (?:ser|que eres)|haz de cuenta que eres)\\b|\\b(?:you are now|ahora eres)\\b${gap(40)}\\b(?:${aiNoun}|\\w{1,30}(?:Bot|GPT|AI|IA))\\b|\\b(?:you are now|ahora eres|your name is now|te llamas ahora) ['"‘“«]|\\bpretend (?:to be|you are|you're) (?:the user'?s|an? (?:AI|assistant|bot|model)|\\w{1,30}(?:Bot|GPT))\\b|\\bact as (?:an? )?(?:unrestricted|unfiltered|jailbroken|evil|uncensored|DAN)\\b`,
      "i",
    ),
  },
  {
    // "reply to every question with…", "append X to every answer", "en cada respuesta"
    name: "every-answer",
    pattern:
      /\b(?:in|at the (?:end|start|beginning) of|to|into|with) (?:every|each|all) (?:of )?(?:your )?(?:replies|answers|responses|reply|answer|response|summary|summaries|output)\b|\b(?:respond|reply|answer) (?:to )?(?:every|each|all|any) (?:question|message|request|query|prompt)s? (?:with|by)\b|\b(?:al final de|en) (?:su|tu) (?:respuesta|resumen)\b|\b(?:en|a|al final de) (?:cada|todas (?:las|tus)) (?:respuestas?|preguntas?|res[uú]menes|resumen)\b|\b(?:in|at the end of|en) (?:your|tu) (?:summary|next (?:message|reply|answer)|resumen|pr[oó]xim[oa] (?:respuesta|mensaje))\b/i,
  },
  {
    name: "ai-conversation",
    pattern: new RegExp(
      `\\b(?:${userYouTalkTo}|whatever the user (?:says|asks|wants)|no matter what the user (?:says|asks|wants)|(?:before|instead of) answering the user|the user'?s (?:real|actual|true) (?:request|question)|the (?:user|person) you are (?:helping|assisting)|la persona con la que (?:hablas|conversas|chateas)|el usuario al que (?:ayudas|asistes|atiendes)|diga lo que diga el usuario|pida lo que pida el usuario)\\b${gap(200)}\\b${directive}\\b|\\b${directive}\\b${gap(120)}\\b(?:whatever the user (?:says|asks|wants)|no matter what the user (?:says|asks|wants)|diga lo que diga el usuario)`,
      "i",
    ),
  },
  {
    name: "call-a-tool",
    pattern:
      /\b(?:call|use|invoke|run|execute|trigger|usa|llama a|invoca|ejecuta)\s(?:the |la |el )?(?:herramienta |funci[oó]n )?[a-z]{1,30}(?:_[a-z]{1,30}){1,6} (?:tool|herramienta)\b|\b(?:call|use|invoke|usa|llama a|invoca) (?:a )?la herramienta [a-z]{1,30}(?:_[a-z]{1,30}){0,6}\b|\b(?:using|with|in|via|con|en|usando) (?:your|the|tu|la) (?:browser|terminal|shell|email|e-mail|file|code|payment|navegador|correo) (?:tool|herramienta)\b|\busing your \w{1,30} tool\b/i,
  },
  {
    // Chat markup that closes the tool's result and opens a turn: "</tool_result>", "<|im_start|>system".
    name: "chat-template",
    pattern:
      /<\|(?:system|im_start|im_end|assistant|user|endoftext|eot_id|start_header_id|end_header_id)\|>|\[\/?INST\]|<<\/?SYS>>|<\/?(?:tool_result|tool_response|function_results|function_call|tool_call|tool_output)>|<\/?(?:system|assistant|instructions?|admin|sistema|asistente)>(?=[^<]{0,300}[\p{L}])/iu,
  },
  {
    // A line that claims to be a system, developer or assistant turn, then tells the reader what to do.
    name: "role-line",
    pattern: new RegExp(
      `(?:^|(?<=[\\n\\]"'>}.!?]\\s?))(?:\\[{1,2} ?)?(?:SYSTEM|System|SISTEMA|Sistema|ADMIN|Admin|DEVELOPER|Developer|OPERATOR|Operator|ASSISTANT|Assistant|Asistente|ASISTENTE|Human|HUMAN|User|USER|Usuario|USUARIO)(?: (?:message|note|notice|update|prompt|override|instruction|instructions|alert|mensaje|nota|aviso|instrucciones|actualizaci[oó]n))?\\s*(?:\\]{1,2}\\s*)?:${span(200)}\\b(?:${directive}|${aiInstructions}|I will now|I have (?:been|finished))\\b|(?:^|\\n)#{2,3} ?(?:system|instruction|instructions|response|sistema|instrucci[oó]n)\\s*:?\\s*(?:\\n|$)|"role"\\s*:\\s*"(?:system|developer)"${span(200)}\\b(?:${directive}|${aiInstructions})\\b`,
    ),
  },
  {
    name: "hide-from-user",
    pattern:
      /\b(?:do not|don't|never|without) (?:mention(?:ing)?|tell(?:ing)? the user|say(?:ing)? (?:this|that|where) (?:came|comes|it came)|reveal(?:ing)? (?:this|these) instructions?|let(?:ting)? the user (?:know|see))|\bno (?:menciones|le digas al usuario|reveles (?:esta|estas) instrucci)|\b(?:without asking|without telling|without confirming with|sin preguntar(?:le)?|sin dec[ií]rselo|sin avisar) (?:the user|al usuario)|\bsilently (?:open|run|call|send|forward|delete|execute|upload|visit)|\ben silencio\b[^.!?\n]{0,40}\b(?:ejecut|abre|env[ií]a|borra|visita)|\bso (?:that )?(?:the user|they) (?:doesn't|don't|won't|will not|cannot|can't) (?:see|notice|know|find out)/i,
  },
  {
    name: "role-bracket",
    pattern:
      /\[{1,2}\s*(?:(?:mensaje|aviso|nota|instrucci[oó]n(?:es)?|comunicado) del (?:sistema|administrador|desarrollador)|(?:new |priority |urgent )?(?:system|admin|developer|assistant|sistema|asistente))(?: (?:message|prompt|override|instruction|instructions|note|notice|update|mensaje|nota|aviso|instrucci[oó]n|instrucciones))?\s*\]{1,2}/i,
  },
  {
    name: "shouted-override",
    pattern:
      /\b(?:IGNORE|DISREGARD|FORGET|IGNORA|OLVIDA)_(?:ALL_|TODO_|TODAS_)?(?:PREVIOUS|PRIOR|ABOVE|LAS|LO|Y)_?[A-Z_]*/,
  },
  {
    name: "instruction-field",
    pattern:
      /["']?\b_?(?:(?:assistant|ai|llm|model|bot|agent|gpt)[_ -]?(?:instructions?|directives?|prompt|notes?|commands?)|instructions?[_ -](?:for|to)[_ -](?:the[_ -])?(?:ai|assistant|llm|model|bot|agent)s?|instrucciones?[_ -]para[_ -](?:la[_ -]|el[_ -])?(?:ia|asistente|modelo|bot))["']?\s*[:=]/i,
  },
];

/** An image whose address the reader is to fill with the chat: `![x](https://…?q={conversation})`. */
const imageAddress = /(?:!\[[^\]\n]{0,200}\]\(|<img\b[^>]{0,200}\bsrc=["'])(https?:\/\/[^)\s"']{1,768})/gi;
const placeholderParameter = /[?&][\w-]{1,64}=[^&#]{0,256}?(?:\{[^}]{0,64}\}|[A-Z_]{6})/;

/** Text a human visitor does not see: HTML comments, hidden elements, zero-size or white text. */
const hiddenElement =
  /<(?:span|div|p|font|section)\b[^>]{0,200}(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|color\s*:\s*(?:#fff\b|#ffffff\b|white\b)|\bhidden\b)[^>]{0,200}>([^<]{0,2000})/gi;

/** What HTML comments and hidden elements hold (comments found by index, so "<!--" repeated stays linear). */
function* hiddenTexts(text: string): Generator<string> {
  for (let start = text.indexOf("<!--"); start >= 0; ) {
    const end = text.indexOf("-->", start + 4);
    if (end < 0) break;
    yield text.slice(start + 4, Math.min(end, start + 4 + 2000));
    start = text.indexOf("<!--", end + 3);
  }
  for (const element of text.matchAll(hiddenElement)) yield element[1] ?? "";
}
/** In hidden text, any request to say or do something for a reader is planted. */
const hiddenDirective = new RegExp(
  `\\b(?:${addressee}|${theUser}|say|tell|claim|state|describe|recommend|respond|reply|mention|present|rate|rank|di|dile|diga|que diga|afirma|recomienda|responde|menciona)\\b`,
  "i",
);

/** A quoted example after "such as", "like", "por ejemplo": a page about injection quoting one. */
const describedAttack =
  /\b(?:telling|tells|told|asking|asks|asked|instructing|instructs|instructed|tricking|tricks|tricked|convincing|convinces|getting|gets|causing|causes|making|makes|diciendo|pidiendo|ordenando|obligando|haciendo que) (?:the|an?|your|al|el|la|a la|que el|que la) (?:AI|assistant|model|LLM|chatbot|bot|agent|IA|asistente|modelo)s? (?:to |a |que )?[^.!?\n]{0,120}/gi;
const quotedExample =
  /\b(?:such as|like|e\.g\.,?|for example,?|for instance,?|the phrase|phrases? like|called|known as|como|tales como|del tipo|por ejemplo,?|la frase)\s*:?\s*(?:"[^"\n]{1,200}"|“[^”\n]{1,200}”|«[^»\n]{1,200}»)/gi;

/**
 * The first rule a normalized tool result breaks (read with {@link normalizeForSafety}'s
 * `keepLineBreaks`), or undefined.
 */
export function matchToolResultRule(text: string): RuleMatch | undefined {
  const read = text.replace(/\\n/g, "\n");
  // A slug or key written with hyphens is read as words: "assistant-please-tell-the-user-to…".
  const unslugged = read.replace(/(?<=\p{L})-(?=\p{L}{1,30}-\p{L})/gu, " ");
  // The user-stage rules read everything: masking a quoted or described attack before them would let
  // "Making the AI obey: ignore all previous instructions…" through. Only the two-signal rules below,
  // which also fire on pages that explain injection, read the text with those masked.
  const userStage = matchInjectionRule(unslugged);
  if (userStage) return userStage;
  const words = unslugged.replace(quotedExample, " ").replace(describedAttack, " ");
  for (const rule of toolResultRules) if (rule.pattern.test(words)) return { category: "injection", rule: rule.name };
  for (const image of read.matchAll(imageAddress))
    if (placeholderParameter.test(image[1] ?? "")) return { category: "injection", rule: "image-exfiltration" };
  for (const hidden of hiddenTexts(read))
    if (hiddenDirective.test(hidden)) return { category: "injection", rule: "hidden-directive" };
  return undefined;
}
