import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  IdempotencyKeyInUseError,
  IdempotencyKeyReusedError,
} from "../../src/errors/domain-errors.ts";
import {
  claimIdempotencyKey,
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_RETENTION_SECONDS,
  idempotencyRecordId,
  releaseIdempotencyKey,
  storeIdempotentResponse,
} from "../../src/idempotency/idempotency.ts";
import { newOrderId } from "../../src/order/order-id.ts";
import { createTestTable, type TestTable } from "../helpers/table.ts";

let table: TestTable;
let keyNumber = 0;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table?.drop();
});

const hashA = "a".repeat(64);
const hashB = "b".repeat(64);

function freshKey(): string {
  keyNumber += 1;
  return `key-${keyNumber}-${Date.now()}`;
}

/** Reads the record of `key` through ElectroDB. */
async function recordOf(key: string) {
  return (
    await table.store.idempotency
      .get({ recordId: idempotencyRecordId(key) })
      .go({ consistent: true })
  ).data;
}

/** Reads the record of `key` as DynamoDB stores it, every attribute as JSON text. */
async function rawItemText(key: string): Promise<string> {
  // ElectroDB builds the key in document form; GetItem takes attribute values.
  const { Key } = table.store.idempotency.get({ recordId: idempotencyRecordId(key) }).params();
  const result = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: { pk: { S: Key.pk }, sk: { S: Key.sk } },
      ConsistentRead: true,
    }),
  );
  expect(result.Item).toBeDefined();
  return JSON.stringify(result.Item);
}

/** Marks the key completed by its owner, as the order transaction does. */
async function complete(key: string, orderId: string): Promise<void> {
  await table.store.idempotency
    .patch({ recordId: idempotencyRecordId(key) })
    .set({ status: "completed", responseStatus: 201 })
    .where(({ orderId: owner }, { eq }) => eq(owner, orderId))
    .go();
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("claimIdempotencyKey", () => {
  it("claims a new key with a TTL", async () => {
    const key = freshKey();
    const now = new Date();

    const result = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: newOrderId(),
      now,
    });

    expect(result).toEqual({ kind: "claimed" });
    const record = await recordOf(key);
    expect(record?.status).toBe("in_progress");
    expect(record?.expiresAt).toBe(
      Math.floor(now.getTime() / 1000) + IDEMPOTENCY_RETENTION_SECONDS,
    );
  });

  it("rejects a second request while the first runs", async () => {
    const key = freshKey();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: newOrderId() });

    const error = await caught(
      claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: newOrderId() }),
    );

    expect(error).toBeInstanceOf(IdempotencyKeyInUseError);
  });

  it("rejects the key with another body", async () => {
    const key = freshKey();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: newOrderId() });

    const error = await caught(
      claimIdempotencyKey(table.store, { key, requestHash: hashB, orderId: newOrderId() }),
    );

    expect(error).toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it("replays the stored answer once the order is placed", async () => {
    // Prepare
    const key = freshKey();
    const orderId = newOrderId();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId });
    await complete(key, orderId);
    await storeIdempotentResponse(table.store, { key, orderId, status: 201, body: '{"x":1}' });

    // Act
    const result = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: newOrderId(),
    });

    // Assess
    expect(result).toEqual({
      kind: "replay",
      response: { status: 201, body: '{"x":1}', orderId },
    });
  });

  it("stores the record under a derived id and never the raw key", async () => {
    const key = `Raw-Key-${freshKey()}`;

    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: newOrderId() });

    const raw = await rawItemText(key);
    expect(raw).toContain(idempotencyRecordId(key));
    expect(raw.toLowerCase()).not.toContain(key.toLowerCase());
  });

  it("keeps keys that differ only in letter case apart", async () => {
    // Prepare
    const suffix = freshKey();
    const upper = `Key-A-${suffix}`;
    const lower = `key-a-${suffix}`;
    const upperOrder = newOrderId();
    const lowerOrder = newOrderId();

    // Act
    const first = await claimIdempotencyKey(table.store, {
      key: upper,
      requestHash: hashA,
      orderId: upperOrder,
    });
    const second = await claimIdempotencyKey(table.store, {
      key: lower,
      requestHash: hashB,
      orderId: lowerOrder,
    });

    // Assess
    expect(first).toEqual({ kind: "claimed" });
    expect(second).toEqual({ kind: "claimed" });
    expect((await recordOf(upper))?.orderId).toBe(upperOrder);
    expect((await recordOf(lower))?.orderId).toBe(lowerOrder);
  });

  it("stores the response encrypted and replays it byte for byte", async () => {
    // Prepare
    const key = freshKey();
    const orderId = newOrderId();
    const accessToken = "tok_5Xb2q9VnK0pLr7sYc3Dw8eFh";
    const body = JSON.stringify({
      orderId,
      accessToken,
      customer: { name: "Ada Lovelace", email: "ada@example.com" },
      shippingAddress: { line1: "12 Analytical Street", city: "Berlin" },
    });
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId });
    await complete(key, orderId);

    // Act
    await storeIdempotentResponse(table.store, { key, orderId, status: 201, body });
    const raw = await rawItemText(key);
    const replayed = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: newOrderId(),
    });

    // Assess
    expect(raw).not.toContain(key);
    expect(raw).not.toContain(accessToken);
    expect(raw).not.toContain("ada@example.com");
    expect(raw).not.toContain("Analytical");
    expect(replayed).toEqual({ kind: "replay", response: { status: 201, body, orderId } });
  });

  it("replays without a body when the stored response was altered", async () => {
    // Prepare
    const key = freshKey();
    const orderId = newOrderId();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId });
    await complete(key, orderId);
    await storeIdempotentResponse(table.store, { key, orderId, status: 201, body: '{"x":1}' });
    const sealed = (await recordOf(key))?.sealedResponse ?? "";
    const [version, iv, ciphertext, tag] = sealed.split(".");
    const flipped = `${ciphertext?.startsWith("A") ? "B" : "A"}${ciphertext?.slice(1)}`;
    await table.store.idempotency
      .patch({ recordId: idempotencyRecordId(key) })
      .set({ sealedResponse: [version, iv, flipped, tag].join(".") })
      .go();

    // Act
    const result = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: newOrderId(),
    });

    // Assess
    expect(result).toEqual({
      kind: "replay",
      response: { status: 201, orderId, unreadableBody: "SealedResponseError" },
    });
  });

  it("lets the key be claimed again after a release", async () => {
    const key = freshKey();
    const first = newOrderId();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: first });
    await releaseIdempotencyKey(table.store, { key, orderId: first });

    const result = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashB,
      orderId: newOrderId(),
    });

    expect(result).toEqual({ kind: "claimed" });
  });

  it("keeps a completed key when its request releases it", async () => {
    const key = freshKey();
    const orderId = newOrderId();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId });
    await complete(key, orderId);

    await releaseIdempotencyKey(table.store, { key, orderId });

    expect((await recordOf(key))?.status).toBe("completed");
  });

  it("ignores a release by a request that does not own the key", async () => {
    const key = freshKey();
    const owner = newOrderId();
    await claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: owner });

    await releaseIdempotencyKey(table.store, { key, orderId: newOrderId() });

    expect((await recordOf(key))?.orderId).toBe(owner);
  });

  it("takes over a claim whose lease ran out", async () => {
    // Prepare
    const key = freshKey();
    const start = new Date();
    await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: newOrderId(),
      now: start,
    });
    const later = new Date(start.getTime() + IDEMPOTENCY_LEASE_MS + 1);
    const successor = newOrderId();

    // Act
    const result = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: successor,
      now: later,
    });

    // Assess
    expect(result).toEqual({ kind: "claimed" });
    expect((await recordOf(key))?.orderId).toBe(successor);
  });

  it("treats a record past its TTL as absent", async () => {
    const key = freshKey();
    const start = new Date();
    await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashA,
      orderId: newOrderId(),
      now: start,
    });
    const afterRetention = new Date(start.getTime() + (IDEMPOTENCY_RETENTION_SECONDS + 1) * 1000);

    const result = await claimIdempotencyKey(table.store, {
      key,
      requestHash: hashB,
      orderId: newOrderId(),
      now: afterRetention,
    });

    expect(result).toEqual({ kind: "claimed" });
  });

  it("lets one of 20 concurrent requests claim the key", async () => {
    const key = freshKey();

    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        claimIdempotencyKey(table.store, { key, requestHash: hashA, orderId: newOrderId() }),
      ),
    );

    const claimed = results.filter((result) => result.status === "fulfilled");
    const inUse = results.filter(
      (result) => result.status === "rejected" && result.reason instanceof IdempotencyKeyInUseError,
    );
    expect(claimed).toHaveLength(1);
    expect(inUse).toHaveLength(19);
  });
});
