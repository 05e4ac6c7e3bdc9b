/**
 * A fresh table per test file in the DynamoDB Local that the integration setup started, so files
 * running in parallel never see each other's items.
 */
import { randomUUID } from "node:crypto";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { inject } from "vitest";
import { ensureTable } from "../../../local/src/dynamodb/table.ts";
import { createStore, type Store } from "../../src/db/table.ts";

export interface TestTable {
  store: Store;
  tableName: string;
  client: DynamoDBClient;
  drop(): Promise<void>;
}

export async function createTestTable(): Promise<TestTable> {
  const client = new DynamoDBClient({
    endpoint: inject("dynamodbUrl"),
    region: "eu-central-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const tableName = `core-test-${randomUUID()}`;
  await ensureTable(client, tableName);

  return {
    store: createStore({ tableName, client }),
    tableName,
    client,
    drop: async () => {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
      client.destroy();
    },
  };
}

/** Writes one product with the given stock and price, in minor units of EUR. */
export async function putProduct(
  store: Store,
  product: { sku: string; stock: number; unitPrice?: number; name?: string },
): Promise<void> {
  await store.product
    .put({
      sku: product.sku,
      name: product.name ?? `Product ${product.sku}`,
      description: "Test product",
      unitPrice: product.unitPrice ?? 1000,
      currency: "EUR",
      stock: product.stock,
    })
    .go();
}

export async function readStock(store: Store, sku: string): Promise<number | undefined> {
  const result = await store.product.get({ sku }).go({ consistent: true });
  return result.data?.stock;
}

export async function countOrders(store: Store): Promise<number> {
  const result = await store.order.scan.go({ pages: "all", consistent: true });
  return result.data.length;
}
