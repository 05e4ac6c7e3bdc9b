/**
 * Order access tokens: `POST /orders` returns a random token once, the table keeps only its
 * SHA-256, and `GET /orders/{orderId}` compares hashes in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes, base64url: 256 bits, so guessing is not a threat. */
export function generateAccessToken(): string {
  return randomBytes(32).toString("base64url");
}

/** SHA-256 of the token, hex. A fast hash is enough because the token is random, not a password. */
export function hashAccessToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Checks a presented token against a stored hash without leaking the position of a mismatch. */
export function accessTokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashAccessToken(token), "hex");
  const stored = Buffer.from(storedHash, "hex");
  if (presented.length !== stored.length) {
    return false;
  }
  return timingSafeEqual(presented, stored);
}

/**
 * Reads the token from an `Authorization: Bearer <token>` header value. Returns undefined when the
 * header is missing or uses another scheme; the scheme name is case-insensitive (RFC 9110).
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) {
    return undefined;
  }
  const match = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i.exec(authorization);
  return match?.[1];
}
