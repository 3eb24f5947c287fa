import type { ErrorCode } from "../contracts/errors.ts";
import type { LanguageCode } from "../language/detect-language.ts";

/** The failures that are the service's, not the request's: the answer cannot be had right now. */
const serviceFailureCodes: ReadonlySet<string> = new Set<ErrorCode>([
  "TOOL_UNAVAILABLE",
  "TOOL_TIMEOUT",
  "TOOL_NOT_CONFIGURED",
]);

export interface ServiceFailure {
  /** The service as users know it, or the tool's name. */
  service: string;
  code: string;
}

export function isServiceFailure(code: string): boolean {
  return serviceFailureCodes.has(code);
}

type Reason = "unreachable" | "timeout" | "notConfigured";

interface Phrases {
  reasons: Record<Reason, string>;
  sentence(services: string, reason: string): string;
  and: string;
}

const phrases: Record<LanguageCode, Phrases> = {
  en: {
    reasons: {
      unreachable: "it could not be reached",
      timeout: "it did not answer in time",
      notConfigured: "it is not set up on this server",
    },
    sentence: (services, reason) =>
      `I couldn't get that from ${services}: ${reason}. I won't guess the answer; please try again later.`,
    and: "and",
  },
  es: {
    reasons: {
      unreachable: "no se pudo conectar",
      timeout: "no respondió a tiempo",
      notConfigured: "no está configurado en este servidor",
    },
    sentence: (services, reason) =>
      `No pude obtener ese dato de ${services}: ${reason}. No voy a inventar la respuesta; inténtalo de nuevo más tarde.`,
    and: "y",
  },
  fr: {
    reasons: {
      unreachable: "le service est injoignable",
      timeout: "il n'a pas répondu à temps",
      notConfigured: "il n'est pas configuré sur ce serveur",
    },
    sentence: (services, reason) =>
      `Je n'ai pas pu obtenir cette information de ${services} : ${reason}. Je ne vais pas deviner la réponse ; réessayez plus tard.`,
    and: "et",
  },
  de: {
    reasons: {
      unreachable: "der Dienst ist nicht erreichbar",
      timeout: "er hat nicht rechtzeitig geantwortet",
      notConfigured: "er ist auf diesem Server nicht eingerichtet",
    },
    sentence: (services, reason) =>
      `Ich konnte das nicht von ${services} abrufen: ${reason}. Ich rate die Antwort nicht; bitte versuchen Sie es später noch einmal.`,
    and: "und",
  },
  pt: {
    reasons: {
      unreachable: "não foi possível conectar",
      timeout: "não respondeu a tempo",
      notConfigured: "não está configurado neste servidor",
    },
    sentence: (services, reason) =>
      `Não consegui obter isso de ${services}: ${reason}. Não vou inventar a resposta; tente novamente mais tarde.`,
    and: "e",
  },
  it: {
    reasons: {
      unreachable: "non è raggiungibile",
      timeout: "non ha risposto in tempo",
      notConfigured: "non è configurato su questo server",
    },
    sentence: (services, reason) =>
      `Non sono riuscito a ottenere questo dato da ${services}: ${reason}. Non inventerò la risposta; riprova più tardi.`,
    and: "e",
  },
};

function reasonOf(codes: readonly string[]): Reason {
  if (codes.includes("TOOL_NOT_CONFIGURED")) return "notConfigured";
  if (codes.every((code) => code === "TOOL_TIMEOUT")) return "timeout";
  return "unreachable";
}

/**
 * The agent's own answer when every call of a tool round failed on the service's side: it names the
 * services, says why, and gives no figure, in the user's language (English when unknown). Written by
 * the agent rather than the model because small local models, told a service was down, still invent
 * the forecast or the rate it would have given.
 */
export function serviceFailureAnswer(failures: readonly ServiceFailure[], language: LanguageCode | undefined): string {
  const words = phrases[language ?? "en"];
  const services = [...new Set(failures.map((failure) => failure.service))];
  const named =
    services.length === 1 ? services[0]! : `${services.slice(0, -1).join(", ")} ${words.and} ${services.at(-1)}`;
  return words.sentence(named, words.reasons[reasonOf(failures.map((failure) => failure.code))]);
}
