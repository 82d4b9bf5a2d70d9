import { useEffect, useState } from "preact/hooks";
import { api, type TokenInfo } from "./api.js";

// One lookup per mint per page load: symbols and decimals do not change.
const cache = new Map<string, Promise<TokenInfo | null>>();
const known = new Map<string, TokenInfo | null>();

function load(mint: string): Promise<TokenInfo | null> {
  let pending = cache.get(mint);
  if (!pending) {
    pending = api.token(mint).then(
      (info) => {
        known.set(mint, info);
        return info;
      },
      () => {
        // Forget a failure so a later screen asks again.
        cache.delete(mint);
        return null;
      },
    );
    cache.set(mint, pending);
  }
  return pending;
}

/** The token's name, symbol and decimals (null until known or when unknown). */
export function useTokenInfo(mint: string): TokenInfo | null {
  const [info, setInfo] = useState<TokenInfo | null>(known.get(mint) ?? null);
  useEffect(() => {
    let live = true;
    if (!known.get(mint))
      void load(mint).then((answer) => {
        if (live) setInfo(answer);
      });
    return () => {
      live = false;
    };
  }, [mint]);
  return info;
}
