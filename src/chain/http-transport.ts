import { createDefaultRpcTransport, type RpcTransport } from "@solana/kit";
import type { RpcEndpointConfig } from "./parse-rpc-endpoints.js";

/**
 * kit's HTTP transport for one endpoint. fetch refuses URLs with credentials, so `user:pass@`
 * becomes a Basic `Authorization` header; query keys stay in the URL, as providers expect.
 */
export function createEndpointHttpTransport(endpoint: RpcEndpointConfig): RpcTransport {
  const url = new URL(endpoint.url);
  if (url.username === "" && url.password === "") {
    return createDefaultRpcTransport({ url: endpoint.url });
  }
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = "";
  url.password = "";
  return createDefaultRpcTransport({
    url: url.toString(),
    headers: { authorization: `Basic ${Buffer.from(credentials).toString("base64")}` },
  });
}
