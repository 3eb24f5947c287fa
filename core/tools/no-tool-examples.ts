/**
 * Requests that need no tool: greetings, thanks, small talk, writing help and general knowledge, in
 * English and Spanish. The tool predictor treats them as a class of their own, so "no tool" wins by
 * being close to these rather than only by every tool scoring low. Written for the predictor, never
 * copied from an eval set.
 */
export const defaultNoToolExamples: readonly string[] = [
  "Hello!",
  "Hi there, how are you doing?",
  "Thanks a lot, that was helpful!",
  "Good morning!",
  "Tell me a joke.",
  "Who wrote Romeo and Juliet?",
  "What is the capital of France?",
  "Explain how photosynthesis works.",
  "Write a short poem about the sea.",
  "What does the word serendipity mean?",
  "Can you help me write an email to my boss?",
  "What's your name?",
  "Give me some tips to sleep better.",
  "Translate 'good night' into French.",
  "Summarize the plot of Hamlet.",
  "Why is the sky blue?",
  "Okay, bye!",
  "What is the difference between a virus and a bacterium?",
  "¡Hola!",
  "Hola, ¿qué tal estás?",
  "¡Muchas gracias, me ha servido mucho!",
  "Buenos días.",
  "Cuéntame un chiste.",
  "¿Quién escribió Don Quijote?",
  "¿Cuál es la capital de Italia?",
  "Explícame qué es la fotosíntesis.",
  "Escribe un poema corto sobre el mar.",
  "¿Qué significa la palabra efímero?",
  "Ayúdame a escribir un correo para mi jefe.",
  "¿Cómo te llamas?",
  "Dame consejos para dormir mejor.",
  "Traduce 'buenas noches' al inglés.",
  "Resume la historia de Romeo y Julieta.",
  "¿Por qué el cielo es azul?",
  "Vale, ¡hasta luego!",
  "¿Cuál es la diferencia entre un virus y una bacteria?",
];
