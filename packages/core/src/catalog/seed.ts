/**
 * Loads the seed catalog into an empty table, for the offline stack and tests.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createStore } from "../db/table.ts";
import { STORE_CURRENCY } from "./currency.ts";
import { seedProducts } from "./products.ts";

export interface SeedOptions {
  tableName: string;
  client: DynamoDBClient;
}

/**
 * Writes `seedProducts` when the table contains no product yet, and nothing otherwise, so a restart
 * keeps the stock that orders left. Promotions live in code; their redemption counters are
 * created by the first order that uses them.
 */
export async function seedCatalogIfEmpty(options: SeedOptions): Promise<{ seeded: number }> {
  const store = createStore(options);

  const existing = await store.product.query.catalog({}).go({ limit: 1 });
  if (existing.data.length > 0) {
    return { seeded: 0 };
  }

  const items = seedProducts.map((product) => ({ ...product, currency: STORE_CURRENCY }));
  const result = await store.product.put(items).go();
  if (result.unprocessed.length > 0) {
    throw new Error(`Seeding left ${result.unprocessed.length} products unwritten`);
  }
  return { seeded: items.length };
}
