/** Companies people name instead of their ticker, as US tickers (Alpha Vantage's symbols). */
const tickers: Record<string, string> = {
  apple: "AAPL",
  microsoft: "MSFT",
  tesla: "TSLA",
  nvidia: "NVDA",
  amazon: "AMZN",
  google: "GOOGL",
  alphabet: "GOOGL",
  meta: "META",
  facebook: "META",
  netflix: "NFLX",
  ibm: "IBM",
  intel: "INTC",
  amd: "AMD",
  "coca-cola": "KO",
  "coca cola": "KO",
  disney: "DIS",
  nike: "NKE",
  boeing: "BA",
  oracle: "ORCL",
  salesforce: "CRM",
  adobe: "ADBE",
  paypal: "PYPL",
  uber: "UBER",
  spotify: "SPOT",
};

/** The ticker of a company named ("Apple", "tesla"), or the asset as a ticker. */
export function tickerOf(asset: string): string {
  return tickers[asset.trim().toLowerCase()] ?? asset.trim().toUpperCase();
}

/** Whether `text` names the stock `asset`: by the asset as written, its ticker, or its company's name. */
export function namesStock(text: string, asset: string): boolean {
  const words = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}.-]+/gu, " ")} `;
  const ticker = tickerOf(asset);
  const names = [asset.trim().toLowerCase(), ticker.toLowerCase()];
  for (const [name, symbol] of Object.entries(tickers)) if (symbol === ticker) names.push(name);
  return names.some((name) => name && words.includes(` ${name} `));
}
