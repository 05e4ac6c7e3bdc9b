/**
 * `Idempotency-Key` handling for `POST /orders`, after the IETF httpapi idempotency-key draft:
 * the same key and body replay the first response, the same key with another body is rejected,
 * and a second request while the first still runs is rejected with 409.
 *
 * A request claims its key by writing an `in_progress` record owned by the order id it will
 * place. The order's transaction completes that record only while this request still owns it, so
 * one key makes at most one order and one stock decrement. A request that fails releases the key,
 * so a corrected request with the same key can succeed; only a placed order completes it.
 */
import { createHash } from "node:crypto";
import { isConditionalCheckFailed } from "../db/retry.ts";
import type { Store } from "../db/table.ts";
import {
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
  ValidationError,
} from "../errors/domain-errors.ts";

export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";

/** Longest accepted key, in characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** How long a completed key replays its response; DynamoDB's TTL deletes the record later. */
export const IDEMPOTENCY_RETENTION_SECONDS = 24 * 60 * 60;

/**
 * How long an `in_progress` claim blocks other requests with the key. It outlasts the PlaceOrder
 * function's 29-second timeout, so a claim is only taken over once its request has surely ended.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000;

// Printable ASCII, space excluded at both ends so that header trimming cannot change the key.
const keyPattern = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

/**
 * Checks an `Idempotency-Key` header value. Returns undefined when the header is absent and throws
 * ValidationError when it is present but not 1 to 255 printable ASCII characters.
 */
export function parseIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value.length === 0 || value.length > MAX_IDEMPOTENCY_KEY_LENGTH || !keyPattern.test(value)) {
    throw new ValidationError([
      {
        path: "headers.idempotency-key",
        code: "invalid_format",
        message: `must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`,
      },
    ]);
  }
  return value;
}

/**
 * SHA-256, hex, of the body's JSON value with object keys sorted, so that bodies that differ
 * only in key order or whitespace count as the same request.
 */
export function requestFingerprint(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body), "utf8").digest("hex");
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => compareCodeUnits(a, b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function compareCodeUnits(a: string, b: string): number {
  if (a < b) {
    return -1;
  }
  return a > b ? 1 : 0;
}

export interface StoredResponse {
  status: number;
  /** The response body as JSON text; undefined when the order exists but its response was never stored. */
  body?: string;
  orderId: string;
}

export type ClaimResult = { kind: "claimed" } | { kind: "replay"; response: StoredResponse };

export interface ClaimInput {
  key: string;
  requestHash: string;
  /** The order this request will place; it becomes the owner of the claim. */
  orderId: string;
  now?: Date;
}

/**
 * Claims `key` for this request, or returns the stored response to replay. Throws
 * IdempotencyKeyReusedError when the key was used with another body and IdempotencyKeyInUseError
 * while another request holds it.
 */
export async function claimIdempotencyKey(store: Store, input: ClaimInput): Promise<ClaimResult> {
  // Three rounds cover a record that is deleted or taken over between our write and our read.
  for (let round = 0; round < 3; round++) {
    const now = input.now ?? new Date();
    const nowSeconds = Math.floor(now.getTime() / 1000);

    try {
      await store.idempotency
        .put({
          key: input.key,
          requestHash: input.requestHash,
          status: "in_progress",
          orderId: input.orderId,
          lockedUntil: now.getTime() + IDEMPOTENCY_LEASE_MS,
          createdAt: now.toISOString(),
          expiresAt: nowSeconds + IDEMPOTENCY_RETENTION_SECONDS,
        })
        // TTL deletes expired items only eventually, so an expired record counts as absent.
        .where(
          ({ requestHash, expiresAt }, { notExists, lt }) =>
            `${notExists(requestHash)} OR ${lt(expiresAt, nowSeconds)}`,
        )
        .go();
      return { kind: "claimed" };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) {
        throw error;
      }
    }

    const existing = (await store.idempotency.get({ key: input.key }).go({ consistent: true }))
      .data;
    if (existing === null) {
      continue;
    }
    if (existing.requestHash !== input.requestHash) {
      throw new IdempotencyKeyReusedError();
    }
    if (existing.status === "completed") {
      return {
        kind: "replay",
        response: {
          status: existing.responseStatus ?? 201,
          body: existing.responseBody,
          orderId: existing.orderId,
        },
      };
    }
    if (existing.lockedUntil > now.getTime()) {
      throw new IdempotencyKeyInUseError();
    }

    // The previous holder's lease ran out: take the claim over, unless someone else just did.
    try {
      await store.idempotency
        .patch({ key: input.key })
        .set({ orderId: input.orderId, lockedUntil: now.getTime() + IDEMPOTENCY_LEASE_MS })
        .where(
          ({ status, orderId }, { eq }) =>
            `${eq(status, "in_progress")} AND ${eq(orderId, existing.orderId)}`,
        )
        .go();
      return { kind: "claimed" };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) {
        throw error;
      }
    }
  }
  throw new IdempotencyKeyInUseError();
}

/**
 * Stores the response to replay for a key whose order was placed. Does nothing when the record
 * no longer belongs to this order, because it expired and another request claimed the key.
 */
export async function storeIdempotentResponse(
  store: Store,
  input: { key: string; orderId: string; status: number; body: string },
): Promise<void> {
  try {
    await store.idempotency
      .patch({ key: input.key })
      .set({ responseStatus: input.status, responseBody: input.body })
      .where(
        ({ status, orderId }, { eq }) =>
          `${eq(status, "completed")} AND ${eq(orderId, input.orderId)}`,
      )
      .go();
  } catch (error) {
    if (!isConditionalCheckFailed(error)) {
      throw error;
    }
  }
}

/**
 * Deletes this request's `in_progress` claim after a failure, so the key can be used again.
 * Leaves the record alone when the order was placed after all (the record is completed) or
 * another request owns it.
 */
export async function releaseIdempotencyKey(
  store: Store,
  input: { key: string; orderId: string },
): Promise<void> {
  try {
    await store.idempotency
      .delete({ key: input.key })
      .where(
        ({ status, orderId }, { eq }) =>
          `${eq(status, "in_progress")} AND ${eq(orderId, input.orderId)}`,
      )
      .go();
  } catch (error) {
    if (!isConditionalCheckFailed(error)) {
      throw error;
    }
  }
}
