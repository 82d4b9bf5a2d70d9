import { sendJson, startJsonServer } from "../../support/json-server.js";

/**
 * live: forwards to the price API. stuck: forwards, but every price keeps the blockId it had
 * when the feed got stuck (a feed that stopped advancing). failing: answers 503.
 */
export type PriceProxyMode = "live" | "stuck" | "failing";

type PriceEntry = { blockId?: number } & Record<string, unknown>;

/** A local stand-in for JUPITER_PRICE_URL in front of the sandbox's price API. */
export async function startPriceProxy(upstream: string) {
  let mode: PriceProxyMode = "live";
  const lastBlockId = new Map<string, number>();
  const pinned = new Map<string, number>();
  const server = await startJsonServer(async (request, response) => {
    if (mode === "failing") return sendJson(response, 503, { error: "unavailable" });
    const query = (request.url ?? "").replace(/^[^?]*/, "");
    const answer = await fetch(`${upstream.replace(/\/+$/, "")}${query}`);
    const body = (await answer.json()) as Record<string, PriceEntry>;
    for (const [mint, entry] of Object.entries(body)) {
      if (typeof entry?.blockId !== "number") continue;
      if (mode === "live") lastBlockId.set(mint, entry.blockId);
      else entry.blockId = pinned.get(mint) ?? lastBlockId.get(mint) ?? entry.blockId;
    }
    sendJson(response, answer.status, body);
  });
  return {
    url: `${server.url}/price/v3`,
    setMode(next: PriceProxyMode) {
      if (next === "stuck") {
        pinned.clear();
        for (const [mint, blockId] of lastBlockId) pinned.set(mint, blockId);
      }
      mode = next;
    },
    close: server.close,
  };
}
