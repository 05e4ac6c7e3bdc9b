import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createStore, type OrderItem } from "@orderflow/core/db/table";
import { inject } from "vitest";
import type { OutboxMessage } from "../../src/ses/outbox-server.ts";

export interface StackLocation {
  dynamodbUrl: string;
  tableName: string;
  outboxDir: string;
}

/**
 * Reads what the offline stack stored, for tests to assert on: products' stock and orders in
 * DynamoDB Local, e-mails in the outbox directory.
 */
export class StackState {
  readonly #store: ReturnType<typeof createStore>;
  readonly #outboxDir: string;

  constructor(location: StackLocation) {
    const client = new DynamoDBClient({
      endpoint: location.dynamodbUrl,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    this.#store = createStore({ tableName: location.tableName, client });
    this.#outboxDir = location.outboxDir;
  }

  /** Units left of a product; throws when the SKU is not in the table. */
  async stockOf(sku: string): Promise<number> {
    const { data } = await this.#store.product.get({ sku }).go();
    if (data === null) throw new Error(`Product ${sku} is not in the table`);
    return data.stock;
  }

  async findOrder(orderId: string): Promise<OrderItem | null> {
    const { data } = await this.#store.order.get({ orderId }).go();
    return data;
  }

  async countOrders(): Promise<number> {
    const { data } = await this.#store.order.scan.go({ pages: "all" });
    return data.length;
  }

  /** Reads every e-mail in the outbox, oldest first. */
  async outbox(): Promise<OutboxMessage[]> {
    const names = (await readdir(this.#outboxDir))
      .filter((name) => name.endsWith(".json") && !name.startsWith("."))
      .sort();
    return Promise.all(
      names.map(async (name) => JSON.parse(await readFile(join(this.#outboxDir, name), "utf8"))),
    );
  }

  /** E-mails whose subject or body mentions `text`, such as an order id. */
  async emailsMentioning(text: string): Promise<OutboxMessage[]> {
    const messages = await this.outbox();
    return messages.filter((message) =>
      [message.subject, message.text, message.html, message.raw].some((part) =>
        part?.includes(text),
      ),
    );
  }

  destroy(): void {
    this.#store.client.destroy();
  }
}

/** Opens the state of the stack that the global setup started for this test run. */
export function sharedStackState(): StackState {
  return new StackState({
    dynamodbUrl: inject("dynamodbUrl"),
    tableName: inject("tableName"),
    outboxDir: inject("outboxDir"),
  });
}
