import { foldText } from "realtime-agent";

/**
 * Cryptocurrencies by the names and tickers people use, in English and Spanish, as CoinGecko ids
 * (GET /coins/list gives the full list; these are the ones people ask for most).
 */
const coins: Record<string, string[]> = {
  bitcoin: ["bitcoin", "btc", "bitcoins"],
  ethereum: ["ethereum", "ether", "eth"],
  tether: ["tether", "usdt"],
  binancecoin: ["bnb", "binance coin"],
  solana: ["solana", "sol"],
  ripple: ["xrp", "ripple"],
  "usd-coin": ["usdc", "usd coin"],
  cardano: ["cardano", "ada"],
  dogecoin: ["dogecoin", "doge"],
  tron: ["tron", "trx"],
  polkadot: ["polkadot", "dot"],
  litecoin: ["litecoin", "ltc"],
  "bitcoin-cash": ["bitcoin cash", "bch"],
  chainlink: ["chainlink", "link"],
  "avalanche-2": ["avalanche", "avax"],
  monero: ["monero", "xmr"],
  stellar: ["stellar", "xlm"],
};

const byName = new Map(Object.entries(coins).flatMap(([id, names]) => names.map((name) => [name, id] as const)));

/** The CoinGecko id of a cryptocurrency named or ticked (`"BTC"`, `"Bitcoin"`), or undefined for anything else. */
export function coinGeckoId(asset: string): string | undefined {
  return byName.get(asset.trim().toLowerCase());
}

/** The coins a text names, by name or ticker ("bitcoin", "BTC", "bitcoin cash"). */
export function coinsNamed(text: string | undefined): Set<string> {
  const words = text ? (foldText(text).match(/[\p{L}\p{N}]+/gu) ?? []) : [];
  const named = words.flatMap((word, index) => [coinGeckoId(word), coinGeckoId(`${word} ${words[index + 1] ?? ""}`)]);
  return new Set(named.filter((id): id is string => id !== undefined));
}
