import { isAddress } from "@solana/kit";
import { InvalidArgumentError } from "commander";

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError("expected a port between 0 and 65535");
  }
  return port;
}

export function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new InvalidArgumentError("expected a positive whole number");
  return number;
}

export function parseAddressOption(value: string): string {
  if (!isAddress(value)) throw new InvalidArgumentError("expected a base58 Solana address");
  return value;
}
