import { z } from "zod";
import type { Cluster } from "../../config/cluster.js";
import type { RouteModule } from "../api-types.js";
import type { RequireAccess } from "../route-access.js";

export interface ServiceMeta {
  readonly cluster: Cluster;
  /** True on the sandbox: POST /v1/wallets/:id/faucet funds a wallet. */
  readonly faucet: boolean;
  /** Transaction links: `${explorerUrl}/tx/${signature}?cluster=${cluster}` (no parameter on mainnet-beta). */
  readonly explorerUrl: string | null;
  /** The commission actually charged (0 without a fee wallet). */
  readonly feeBps: number;
  readonly solMint: string;
  /**
   * True when a private landing route (a block engine or a sender) is configured: orders and
   * settings may then ask for MEV protection (CONTRACTS19.md §5).
   */
  readonly mevProtection: boolean;
  /** True when the operator set AUTOMATION_KEY: wallets may grant automation (standing orders). */
  readonly automation: boolean;
}

export interface MetaRoutesOptions {
  readonly meta: ServiceMeta;
  readonly requireAccess: RequireAccess;
}

/** GET /v1/meta: what a client needs to know about this deployment before anyone logs in. */
export function createMetaRoutes(options: MetaRoutesOptions): RouteModule {
  const anyone = options.requireAccess("public", {
    bucket: "meta",
    perAddress: { limit: 600, windowMs: 60_000 },
  });
  return (app) => {
    app.get(
      "/v1/meta",
      {
        onRequest: anyone,
        schema: {
          tags: ["meta"],
          summary:
            "The cluster, whether the sandbox faucet exists, the explorer for transaction links, the commission, the SOL mint, whether MEV protection is available and whether automation (standing orders) is on",
          description:
            "mevProtection is true when private landing routes (JITO_URLS block engines, SENDER_URLS, or the embedded sandbox's block engine) are configured: only then may an order be protected (else 422 MEV_PROTECTION_UNAVAILABLE).",
          response: {
            200: z.object({
              cluster: z.enum(["sandbox", "mainnet-beta", "devnet", "testnet", "custom"]),
              faucet: z.boolean(),
              explorerUrl: z.string().nullable(),
              feeBps: z.number(),
              solMint: z.string(),
              mevProtection: z.boolean(),
              automation: z.boolean(),
            }),
          },
        },
      },
      async () => options.meta,
    );
  };
}
