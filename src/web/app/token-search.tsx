import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "./api.js";
import { formatUsd, isMintLike, shortAddress } from "./format.js";
import { ErrorNote, useDebounced, useLatestLoad } from "./ui.js";

/** Search by part of a symbol or name, or paste a mint; verified tokens are marked, others flagged. */
export function TokenSearch() {
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const debounced = useDebounced(query.trim(), 250);
  const search = useLatestLoad(debounced, (signal) => api.searchTokens(debounced, signal));
  const results = search.data?.tokens ?? null;
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const close = (event: MouseEvent) => {
      if (box.current && !box.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, []);

  const go = (mint: string) => {
    location.hash = `#/token/${mint}`;
    setOpen(false);
    setQuery("");
  };
  const showPanel = open && query.trim() !== "";
  return (
    <search
      class="search"
      ref={box}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          setOpen(false);
          box.current?.querySelector("input")?.focus();
        }
      }}
    >
      <label class="sr-only" for="token-search">
        Search tokens by symbol, name or mint
      </label>
      <input
        id="token-search"
        type="search"
        placeholder="Search symbol, name or paste a mint"
        autocomplete="off"
        aria-describedby="token-search-status"
        value={query}
        onInput={(event) => {
          setQuery(event.currentTarget.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            const first = results?.[0];
            if (first) go(first.mint);
            else if (isMintLike(query)) go(query.trim());
          } else if (event.key === "ArrowDown") {
            event.preventDefault();
            box.current?.querySelector<HTMLElement>(".search-results a")?.focus();
          }
        }}
      />
      <p id="token-search-status" class="sr-only" aria-live="polite">
        {query.trim() === ""
          ? ""
          : search.loading
            ? "Searching…"
            : results
              ? `${results.length} tokens found`
              : ""}
      </p>
      {showPanel ? (
        <div class="search-panel">
          <ErrorNote error={search.error} />
          {results && results.length === 0 ? (
            <p class="muted">No token matches “{query.trim()}”.</p>
          ) : null}
          {results && results.length > 0 ? (
            <ul
              class="search-results"
              aria-label="Tokens found"
              onKeyDown={(event) => {
                const links = [
                  ...(box.current?.querySelectorAll<HTMLElement>(".search-results a") ?? []),
                ];
                const index = links.indexOf(document.activeElement as HTMLElement);
                if (event.key === "ArrowDown") {
                  event.preventDefault();
                  links[Math.min(links.length - 1, index + 1)]?.focus();
                } else if (event.key === "ArrowUp") {
                  event.preventDefault();
                  if (index <= 0) box.current?.querySelector("input")?.focus();
                  else links[index - 1]?.focus();
                }
              }}
            >
              {results.map((token) => (
                <li key={token.mint}>
                  <a
                    href={`#/token/${token.mint}`}
                    data-mint={token.mint}
                    data-symbol={token.symbol}
                    onClick={() => {
                      setOpen(false);
                      setQuery("");
                    }}
                  >
                    <span class="result-symbol">{token.symbol}</span>
                    <span class="result-name">{token.name}</span>
                    {token.verified ? (
                      <span class="badge verified">✓ Verified</span>
                    ) : (
                      <span class="badge unverified">Unverified</span>
                    )}
                    <span class="result-price num">{formatUsd(token.priceUsd)}</span>
                    <span class="result-mint mono muted">{shortAddress(token.mint)}</span>
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </search>
  );
}
