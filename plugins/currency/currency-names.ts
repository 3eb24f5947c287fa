import { foldText } from "realtime-agent";

/**
 * Currency names as people write them (English and Spanish, singular and plural, with or without
 * accents) → ISO 4217 codes. Small local models copy the words of the request ("yenes", "Swiss francs")
 * more reliably than they look up codes.
 */
export const currencyNames: Readonly<Record<string, readonly string[]>> = {
  USD: [
    "dollar",
    "dollars",
    "us dollar",
    "us dollars",
    "american dollars",
    "dólar",
    "dolar",
    "dólares",
    "dolares",
    "dólares estadounidenses",
    "dolares estadounidenses",
    "dólar estadounidense",
    "usd",
    "us$",
    "$",
  ],
  EUR: ["euro", "euros", "€"],
  GBP: [
    "pound",
    "pounds",
    "pound sterling",
    "pounds sterling",
    "british pound",
    "british pounds",
    "libra",
    "libras",
    "libra esterlina",
    "libras esterlinas",
    "£",
  ],
  JPY: ["yen", "yenes", "japanese yen", "yen japonés", "yenes japoneses", "¥"],
  CHF: ["swiss franc", "swiss francs", "franc", "francs", "franco suizo", "francos suizos", "franco", "francos"],
  CAD: [
    "canadian dollar",
    "canadian dollars",
    "dólar canadiense",
    "dolar canadiense",
    "dólares canadienses",
    "dolares canadienses",
  ],
  AUD: [
    "australian dollar",
    "australian dollars",
    "dólar australiano",
    "dolar australiano",
    "dólares australianos",
    "dolares australianos",
  ],
  MXN: ["mexican peso", "mexican pesos", "peso mexicano", "pesos mexicanos", "peso", "pesos"],
  BRL: ["real", "reais", "reales", "brazilian real", "brazilian reais", "real brasileño", "reales brasileños"],
  CNY: ["yuan", "yuanes", "renminbi", "chinese yuan", "yuan chino"],
  INR: ["rupee", "rupees", "indian rupee", "indian rupees", "rupia", "rupias", "rupia india", "rupias indias"],
  KRW: ["won", "wones", "korean won", "south korean won", "won surcoreano"],
  SEK: ["swedish krona", "swedish kronor", "corona sueca", "coronas suecas"],
  NOK: ["norwegian krone", "norwegian kroner", "corona noruega", "coronas noruegas"],
  DKK: ["danish krone", "danish kroner", "corona danesa", "coronas danesas"],
  PLN: ["zloty", "zlotys", "złoty", "polish zloty", "esloti", "eslotis"],
  TRY: ["lira", "liras", "turkish lira", "lira turca", "liras turcas"],
  CZK: ["czech koruna", "corona checa", "coronas checas"],
  HUF: ["forint", "forints", "florín húngaro", "forintos"],
  ZAR: ["rand", "rands", "south african rand", "rand sudafricano"],
  NZD: ["new zealand dollar", "new zealand dollars", "dólar neozelandés", "dólares neozelandeses"],
  SGD: ["singapore dollar", "singapore dollars", "dólar de singapur", "dólares de singapur"],
  HKD: ["hong kong dollar", "hong kong dollars", "dólar de hong kong", "dólares de hong kong"],
};

/** Lower case, no accents, single spaces: how names are compared. */
export const foldCurrencyText = (text: string) => foldText(text.trim()).replace(/\s+/g, " ");

const byName = new Map<string, string>();
for (const [code, spellings] of Object.entries(currencyNames))
  for (const name of spellings) byName.set(foldCurrencyText(name), code);

/** The ISO 4217 code for a code or a currency's name; the input unchanged (upper-cased) when unknown. */
export function toCurrencyCode(text: string): string {
  return byName.get(foldCurrencyText(text)) ?? text.trim().toUpperCase();
}
