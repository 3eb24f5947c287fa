// Builds the judge calibration set: questions each with a correct answer and an answer with a planted
// factual or arithmetic error. Deterministic (seeded); the output, calibration.jsonl, is committed.
//   node --import tsx evals/suites/judge-calibration/build-dataset.ts
import { writeFileSync } from "node:fs";
import { seededRandom } from "../../stats/random.ts";

export interface CalibrationPair {
  id: string;
  category: "arithmetic" | "percentage" | "unit" | "factual";
  question: string;
  correct: string;
  incorrect: string;
}

// Facts with a plausible wrong answer. Kept to well-established, stable facts.
const facts: [string, string, string][] = [
  ["What is the capital of France?", "Paris", "Lyon"],
  ["What is the capital of Japan?", "Tokyo", "Osaka"],
  ["What is the capital of Australia?", "Canberra", "Sydney"],
  ["What is the capital of Canada?", "Ottawa", "Toronto"],
  ["What is the capital of Brazil?", "Brasília", "Rio de Janeiro"],
  ["What is the capital of Turkey?", "Ankara", "Istanbul"],
  ["What is the capital of Switzerland?", "Bern", "Zurich"],
  ["What is the capital of Egypt?", "Cairo", "Alexandria"],
  ["What is the capital of Kenya?", "Nairobi", "Mombasa"],
  ["What is the capital of Spain?", "Madrid", "Barcelona"],
  ["What is the capital of Italy?", "Rome", "Milan"],
  ["What is the capital of Germany?", "Berlin", "Munich"],
  ["What is the capital of India?", "New Delhi", "Mumbai"],
  ["What is the capital of South Korea?", "Seoul", "Busan"],
  ["What is the capital of Argentina?", "Buenos Aires", "Córdoba"],
  ["What is the capital of Norway?", "Oslo", "Bergen"],
  ["What is the capital of Vietnam?", "Hanoi", "Ho Chi Minh City"],
  ["What is the capital of Morocco?", "Rabat", "Casablanca"],
  ["What is the capital of New Zealand?", "Wellington", "Auckland"],
  ["What is the capital of Nigeria?", "Abuja", "Lagos"],
  ["Which planet is closest to the Sun?", "Mercury", "Venus"],
  ["Which planet is the largest in our solar system?", "Jupiter", "Saturn"],
  ["Which planet is known as the Red Planet?", "Mars", "Jupiter"],
  ["How many planets are in our solar system?", "eight", "nine"],
  ["What is the chemical symbol for gold?", "Au", "Ag"],
  ["What is the chemical symbol for sodium?", "Na", "So"],
  ["What is the chemical symbol for iron?", "Fe", "Ir"],
  ["What is the chemical formula of water?", "H2O", "HO2"],
  [
    "At what temperature does water boil at sea level, in degrees Celsius?",
    "100 degrees Celsius",
    "90 degrees Celsius",
  ],
  ["At what temperature does water freeze, in degrees Celsius?", "0 degrees Celsius", "10 degrees Celsius"],
  ["How many continents are there?", "seven", "five"],
  ["What is the largest ocean on Earth?", "the Pacific Ocean", "the Atlantic Ocean"],
  ["What is the longest river in South America?", "the Amazon", "the Paraná"],
  ["What is the tallest mountain on Earth above sea level?", "Mount Everest", "K2"],
  ["Who wrote the play Romeo and Juliet?", "William Shakespeare", "Christopher Marlowe"],
  ["Who painted the Mona Lisa?", "Leonardo da Vinci", "Michelangelo"],
  ["Who developed the theory of general relativity?", "Albert Einstein", "Isaac Newton"],
  ["Who was the first person to walk on the Moon?", "Neil Armstrong", "Buzz Aldrin"],
  ["In which year did World War II end?", "1945", "1942"],
  ["In which year did the Berlin Wall fall?", "1989", "1991"],
  ["How many days are in a leap year?", "366", "365"],
  ["How many sides does a hexagon have?", "six", "eight"],
  ["How many legs does a spider have?", "eight", "six"],
  ["What gas do plants absorb from the air for photosynthesis?", "carbon dioxide", "oxygen"],
  ["What is the hardest natural substance?", "diamond", "quartz"],
  ["What is the largest mammal?", "the blue whale", "the African elephant"],
  ["What is the smallest prime number?", "2", "1"],
  ["What is the square root of 144?", "12", "14"],
  ["How many bones are in the adult human body?", "206", "212"],
  ["What is the main language spoken in Brazil?", "Portuguese", "Spanish"],
  ["What currency is used in Japan?", "the yen", "the yuan"],
  ["What currency is used in the United Kingdom?", "the pound sterling", "the euro"],
  ["Which organ pumps blood through the human body?", "the heart", "the liver"],
  ["What is the freezing point of water in degrees Fahrenheit?", "32 degrees Fahrenheit", "0 degrees Fahrenheit"],
  ["How many minutes are in an hour?", "60", "100"],
  ["Which element has atomic number 1?", "hydrogen", "helium"],
  [
    "What is the speed of light in a vacuum, approximately, in kilometres per second?",
    "about 300,000 km/s",
    "about 30,000 km/s",
  ],
  ["Which country has the largest population in South America?", "Brazil", "Argentina"],
  ["On which continent is the Sahara Desert?", "Africa", "Asia"],
  ["What is the largest planet's most famous storm called?", "the Great Red Spot", "the Great Dark Spot"],
];

const plantError = (value: number, random: () => number): number => {
  const options = [value + 10, value - 10, value + 1, value - 1, value * 10, Math.round(value * 1.1)];
  const choice = options[Math.floor(random() * options.length)]!;
  return choice === value || choice < 0 ? value + 7 : choice;
};

export function buildCalibrationPairs(seed = 20261126): CalibrationPair[] {
  const random = seededRandom(seed);
  const integer = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pairs: CalibrationPair[] = [];

  for (let index = 0; index < 40; index++) {
    const a = integer(12, 99);
    const b = integer(12, 99);
    const product = a * b;
    const wrong = plantError(product, random);
    pairs.push({
      id: `arithmetic-${index}`,
      category: "arithmetic",
      question: `What is ${a} × ${b}?`,
      correct: `${a} × ${b} = ${product}.`,
      incorrect: `${a} × ${b} = ${wrong}.`,
    });
  }
  for (let index = 0; index < 25; index++) {
    const percent = [5, 10, 12.5, 15, 20, 25, 30, 40, 75][integer(0, 8)]!;
    const base = integer(4, 60) * 40;
    const value = Math.round(percent * base) / 100;
    const wrong = plantError(value, random);
    pairs.push({
      id: `percentage-${index}`,
      category: "percentage",
      question: `What is ${percent}% of ${base.toLocaleString("en-US")}?`,
      correct: `${percent}% of ${base.toLocaleString("en-US")} is ${value}.`,
      incorrect: `${percent}% of ${base.toLocaleString("en-US")} is ${wrong}.`,
    });
  }
  const units: [string, string, number][] = [
    ["hours", "minutes", 60],
    ["kilometres", "metres", 1000],
    ["kilograms", "grams", 1000],
    ["minutes", "seconds", 60],
    ["days", "hours", 24],
    ["metres", "centimetres", 100],
  ];
  for (let index = 0; index < 25; index++) {
    const [from, to, factor] = units[index % units.length]!;
    const amount = integer(2, 19) + (index % 2 ? 0.5 : 0);
    const value = amount * factor;
    const wrong = plantError(value, random);
    pairs.push({
      id: `unit-${index}`,
      category: "unit",
      question: `How many ${to} are in ${amount} ${from}?`,
      correct: `There are ${value.toLocaleString("en-US")} ${to} in ${amount} ${from}.`,
      incorrect: `There are ${wrong.toLocaleString("en-US")} ${to} in ${amount} ${from}.`,
    });
  }
  facts.forEach(([question, right, wrong], index) => {
    pairs.push({
      id: `factual-${index}`,
      category: "factual",
      question,
      correct: `The answer is ${right}.`,
      incorrect: `The answer is ${wrong}.`,
    });
  });
  return pairs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pairs = buildCalibrationPairs();
  writeFileSync(
    new URL("./calibration.jsonl", import.meta.url),
    `${pairs.map((pair) => JSON.stringify(pair)).join("\n")}\n`,
  );
  process.stdout.write(`wrote ${pairs.length} pairs (${pairs.length * 2} labelled answers)\n`);
}
