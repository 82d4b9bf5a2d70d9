import type { FastifyRequest } from "fastify";
import { OspreyError } from "../core/osprey-error.js";

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_\-.:]{1,128}$/;

/** The request's Idempotency-Key header (1–128 of A–Z a–z 0–9 _ - . :), or 400. */
export function getIdempotencyKey(request: FastifyRequest): string {
  const key = request.headers["idempotency-key"];
  if (typeof key !== "string" || !IDEMPOTENCY_KEY.test(key))
    throw new OspreyError("IDEMPOTENCY_KEY_REQUIRED");
  return key;
}
