import { OspreyError } from "../core/index.js";

/**
 * The WebSocket URL of an RPC endpoint: http→ws, https→wss, and port+1 when a port is explicit
 * (solana-test-validator serves pubsub on the next port). Parsed, never string-replaced.
 */
export function deriveWsUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  switch (url.protocol) {
    case "http:":
      url.protocol = "ws:";
      break;
    case "https:":
      url.protocol = "wss:";
      break;
    case "ws:":
    case "wss:":
      return url.toString();
    default:
      throw new OspreyError("RPC_CONFIG_INVALID", `Unsupported RPC URL scheme ${url.protocol}`, {
        scheme: url.protocol,
      });
  }
  if (url.port !== "") url.port = String(Number(url.port) + 1);
  return url.toString();
}
