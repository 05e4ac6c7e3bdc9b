/**
 * The single DynamoDB table, modelled with ElectroDB: products with their stock, orders,
 * idempotency records and promotion redemption counters.
 *
 * Key layout (see stacks/manifest.ts `table`): every item has `pk` and `sk`. Products are also in
 * index `gsi1` under one partition, so the catalog is read with a Query instead of a Scan.
 * `expiresAt` (epoch seconds) is the table's TTL attribute, set on idempotency records.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CustomAttributeType, Entity, type EntityItem, Service } from "electrodb";

const service = "orderflow";

export interface OrderLineRecord {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  subtotal: number;
  discount: number;
  tax: number;
  total: number;
}

export interface OrderTotalsRecord {
  subtotal: number;
  discount: number;
  shipping: number;
  tax: number;
  total: number;
}

export interface WorkflowStepRecord {
  name: string;
  startedAt: string;
  durationMs: number;
}

export interface AddressRecord {
  line1: string;
  line2?: string;
  city: string;
  postalCode: string;
  region?: string;
  country: string;
}

function productEntity(table: string, client: DynamoDBClient) {
  return new Entity(
    {
      model: { entity: "product", version: "1", service },
      attributes: {
        sku: { type: "string", required: true, readOnly: true },
        name: { type: "string", required: true },
        description: { type: "string", required: true },
        /** Price of one unit in minor units of `currency`. */
        unitPrice: { type: "number", required: true },
        currency: { type: "string", required: true },
        /** Units left; the order transaction never lets it go below zero. */
        stock: { type: "number", required: true },
      },
      indexes: {
        bySku: {
          pk: { field: "pk", composite: ["sku"] },
          sk: { field: "sk", composite: [] },
        },
        catalog: {
          index: "gsi1",
          pk: { field: "gsi1pk", composite: [] },
          sk: { field: "gsi1sk", composite: ["sku"] },
        },
      },
    },
    { table, client },
  );
}

function orderEntity(table: string, client: DynamoDBClient) {
  return new Entity(
    {
      model: { entity: "order", version: "1", service },
      attributes: {
        orderId: { type: "string", required: true, readOnly: true },
        status: { type: ["confirmed"] as const, required: true },
        createdAt: { type: "string", required: true, readOnly: true },
        currency: { type: "string", required: true },
        customerName: { type: "string", required: true },
        customerEmail: { type: "string", required: true },
        shippingAddress: { type: CustomAttributeType<AddressRecord>("any"), required: true },
        lines: { type: CustomAttributeType<OrderLineRecord[]>("any"), required: true },
        totals: { type: CustomAttributeType<OrderTotalsRecord>("any"), required: true },
        promotionCode: { type: "string" },
        /** SHA-256 of the access token, hex; the token itself is never stored. */
        accessTokenHash: { type: "string", required: true, readOnly: true },
        /** `owed` until the confirmation e-mail is sent. */
        notificationStatus: { type: ["owed", "sent"] as const, required: true },
        executionArn: { type: "string", required: true },
        workflowSteps: { type: CustomAttributeType<WorkflowStepRecord[]>("any"), required: true },
        /** The idempotency record this order completed, if its request had a key. */
        idempotencyRecordId: { type: "string" },
      },
      indexes: {
        byId: {
          pk: { field: "pk", composite: ["orderId"] },
          sk: { field: "sk", composite: [] },
        },
      },
    },
    { table, client },
  );
}

function idempotencyEntity(table: string, client: DynamoDBClient) {
  return new Entity(
    {
      model: { entity: "idempotency", version: "2", service },
      attributes: {
        /**
         * SHA-256, hex, of the Idempotency-Key after a label (see idempotencyRecordId), so the raw
         * key is never stored. ElectroDB lowercases key values, which leaves lowercase hex intact,
         * so keys that differ only in letter case get separate records.
         */
        recordId: { type: "string", required: true, readOnly: true },
        /** SHA-256 of the canonical JSON request body, hex. */
        requestHash: { type: "string", required: true },
        status: { type: ["in_progress", "completed"] as const, required: true },
        /** The order the current holder of the key is placing; it owns the record. */
        orderId: { type: "string", required: true },
        /** Epoch milliseconds after which an `in_progress` record may be taken over. */
        lockedUntil: { type: "number", required: true },
        responseStatus: { type: "number" },
        /**
         * The first response's body, replayed for the same key and body, AES-256-GCM encrypted
         * under a key derived from the Idempotency-Key (see sealResponse). It contains the access
         * token and the shopper's contact details, so it is never stored in plain text.
         */
        sealedResponse: { type: "string" },
        createdAt: { type: "string", required: true },
        /** Epoch seconds; the table's TTL attribute. */
        expiresAt: { type: "number", required: true },
      },
      indexes: {
        byKey: {
          pk: { field: "pk", composite: ["recordId"] },
          sk: { field: "sk", composite: [] },
        },
      },
    },
    { table, client },
  );
}

function promotionRedemptionEntity(table: string, client: DynamoDBClient) {
  return new Entity(
    {
      model: { entity: "promotionRedemption", version: "1", service },
      attributes: {
        code: { type: "string", required: true, readOnly: true },
        /** Orders that used the code so far. */
        redemptions: { type: "number", required: true, default: 0 },
      },
      indexes: {
        byCode: {
          pk: { field: "pk", composite: ["code"] },
          sk: { field: "sk", composite: [] },
        },
      },
    },
    { table, client },
  );
}

export interface StoreOptions {
  tableName: string;
  /** Defaults to a client configured from the environment (region, `AWS_ENDPOINT_URL_DYNAMODB`). */
  client?: DynamoDBClient;
}

/** Builds the ElectroDB service over the table. Reads no environment itself. */
export function createStore(options: StoreOptions) {
  const client = options.client ?? new DynamoDBClient({});
  const table = options.tableName;
  const entities = {
    product: productEntity(table, client),
    order: orderEntity(table, client),
    idempotency: idempotencyEntity(table, client),
    promotionRedemption: promotionRedemptionEntity(table, client),
  };
  return {
    tableName: table,
    client,
    service: new Service(entities),
    ...entities,
  };
}

export type Store = ReturnType<typeof createStore>;
export type ProductItem = EntityItem<ReturnType<typeof productEntity>>;
export type OrderItem = EntityItem<ReturnType<typeof orderEntity>>;
export type IdempotencyItem = EntityItem<ReturnType<typeof idempotencyEntity>>;
