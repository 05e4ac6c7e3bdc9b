/**
 * `Idempotency-Key` handling for `POST /orders`, after the IETF httpapi idempotency-key draft:
 * the same key and body replay the first response, the same key with another body is rejected,
 * and a second request while the first still runs is rejected with 409.
 *
 * A request claims its key by writing an `in_progress` record owned by the order id it will
 * place. The order's transaction completes that record only while this request still owns it, so
 * one key makes at most one order and one stock decrement. A request that fails releases the key,
 * so a corrected request with the same key can succeed; only a placed order completes it.
 *
 * The raw key never reaches the table, its stream or the workflow input: the record is stored
 * under a SHA-256 of the key, and the response kept for replays is encrypted with AES-256-GCM
 * under a second key derived from it. That response contains the order's access token and the
 * shopper's name, e-mail and address, so only a client that presents the key again can read it.
 * Both derivations are as strong as the key is hard to guess; the checkout page sends a UUID.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
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

// Labels that keep the two derivations of one key apart. A NUL ends each label.
const recordIdLabel = "orderflow/idempotency/record-id/v1\0";
const responseKeyLabel = "orderflow/idempotency/response-key/v1\0";

const sealAlgorithm = "aes-256-gcm";
const sealIvBytes = 12;
const sealTagBytes = 16;
const sealVersion = "v1";

/** Derives the id that the record of `key` is stored under: SHA-256, hex, of label and key. */
export function idempotencyRecordId(key: string): string {
  return createHash("sha256").update(recordIdLabel, "utf8").update(key, "utf8").digest("hex");
}

/** Derives the AES-256 key for the stored response of `key`, under a label of its own. */
export function responseEncryptionKey(key: string): Buffer {
  return createHash("sha256").update(responseKeyLabel, "utf8").update(key, "utf8").digest();
}

/**
 * Encrypts a response body for the record of `key` with a fresh random IV. The record id is
 * authenticated too, so a sealed body copied into another record does not open there.
 * Returns `v1.<iv>.<ciphertext>.<tag>`, each part base64url.
 */
export function sealResponse(key: string, body: string): string {
  const iv = randomBytes(sealIvBytes);
  const cipher = createCipheriv(sealAlgorithm, responseEncryptionKey(key), iv, {
    authTagLength: sealTagBytes,
  });
  cipher.setAAD(Buffer.from(idempotencyRecordId(key), "utf8"));
  const ciphertext = Buffer.concat([cipher.update(body, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [sealVersion, iv, ciphertext, tag]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Thrown when a sealed response is malformed, altered, or sealed under another key. */
export class SealedResponseError extends Error {
  constructor(options?: ErrorOptions) {
    super("The stored response cannot be decrypted with this key", options);
    this.name = "SealedResponseError";
  }
}

/** Decrypts what sealResponse returned for the same key; throws SealedResponseError otherwise. */
export function openResponse(key: string, sealed: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== sealVersion) {
    throw new SealedResponseError();
  }
  const [iv, ciphertext, tag] = parts.slice(1).map((part) => Buffer.from(part, "base64url"));
  if (iv?.length !== sealIvBytes || tag?.length !== sealTagBytes || ciphertext === undefined) {
    throw new SealedResponseError();
  }
  try {
    const decipher = createDecipheriv(sealAlgorithm, responseEncryptionKey(key), iv, {
      authTagLength: sealTagBytes,
    });
    decipher.setAAD(Buffer.from(idempotencyRecordId(key), "utf8"));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new SealedResponseError({ cause: error });
  }
}

export interface StoredResponse {
  status: number;
  /**
   * The response body as JSON text; undefined when the order exists but its response was never
   * stored, or was stored but could not be decrypted.
   */
  body?: string;
  orderId: string;
  /** The error's name when a stored body could not be decrypted; never its content. */
  unreadableBody?: string;
}

export type ClaimResult = { kind: "claimed" } | { kind: "replay"; response: StoredResponse };

export interface ClaimInput {
  /** The raw Idempotency-Key; only values derived from it are stored. */
  key: string;
  requestHash: string;
  /** The order this request will place; it becomes the owner of the claim. */
  orderId: string;
  now?: Date;
}

/**
 * Claims `key` for this request, or returns the stored response to replay. Throws
 * IdempotencyKeyReusedError when the key was used with another body and IdempotencyKeyInUseError
 * while another request owns the claim.
 */
export async function claimIdempotencyKey(store: Store, input: ClaimInput): Promise<ClaimResult> {
  const recordId = idempotencyRecordId(input.key);

  // Three rounds cover a record that is deleted or taken over between our write and our read.
  for (let round = 0; round < 3; round++) {
    const now = input.now ?? new Date();
    const nowSeconds = Math.floor(now.getTime() / 1000);

    try {
      await store.idempotency
        .put({
          recordId,
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

    const existing = (await store.idempotency.get({ recordId }).go({ consistent: true })).data;
    if (existing === null) {
      continue;
    }
    if (existing.requestHash !== input.requestHash) {
      throw new IdempotencyKeyReusedError();
    }
    if (existing.status === "completed") {
      return {
        kind: "replay",
        response: storedResponse(input.key, existing.orderId, existing),
      };
    }
    if (existing.lockedUntil > now.getTime()) {
      throw new IdempotencyKeyInUseError();
    }

    // The previous holder's lease ran out: take the claim over, unless someone else just did.
    try {
      await store.idempotency
        .patch({ recordId })
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

function storedResponse(
  key: string,
  orderId: string,
  record: { responseStatus?: number; sealedResponse?: string },
): StoredResponse {
  const status = record.responseStatus ?? 201;
  if (record.sealedResponse === undefined) {
    return { status, orderId };
  }
  try {
    return { status, orderId, body: openResponse(key, record.sealedResponse) };
  } catch (error) {
    return { status, orderId, unreadableBody: (error as Error).name };
  }
}

/**
 * Stores the response to replay for a key whose order was placed, encrypted under the key. Does
 * nothing when the record no longer belongs to this order, because it expired and another
 * request claimed the key.
 */
export async function storeIdempotentResponse(
  store: Store,
  input: { key: string; orderId: string; status: number; body: string },
): Promise<void> {
  try {
    await store.idempotency
      .patch({ recordId: idempotencyRecordId(input.key) })
      .set({ responseStatus: input.status, sealedResponse: sealResponse(input.key, input.body) })
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
      .delete({ recordId: idempotencyRecordId(input.key) })
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
