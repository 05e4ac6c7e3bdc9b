import { AsyncLocalStorage } from "node:async_hooks";
import { GetItemCommand, type TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { STORE_CURRENCY } from "../packages/core/src/catalog/currency.ts";
import type { Store } from "../packages/core/src/db/table.ts";
import {
  claimIdempotencyKey,
  idempotencyRecordId,
  requestFingerprint,
  storeIdempotentResponse,
} from "../packages/core/src/idempotency/idempotency.ts";
import { generateAccessToken, hashAccessToken } from "../packages/core/src/order/access-token.ts";
import { priceRequest, validateOrder } from "../packages/core/src/order/checkout.ts";
import {
  notificationSent,
  recordNotification,
} from "../packages/core/src/order/confirmation-email.ts";
import { newOrderId } from "../packages/core/src/order/order-id.ts";
import { persistOrder } from "../packages/core/src/order/persist.ts";
import type { FunctionName } from "../stacks/manifest.ts";
import { asAttributeValues, itemBytes, transactionalWriteUnits } from "./lib/item-size.ts";
import type { ProgressLine } from "./lib/progress.ts";
import { type LatencySummary, summarizeLatencies } from "./lib/stats.ts";
import { BENCH_PRODUCTS, BENCH_STOCK, benchOrder } from "./orders.ts";

/** DynamoDB operations, capacity and client-side time, summed over the calls of a phase. */
export interface DynamoDbTally {
  calls: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  /** Time spent in `client.send` (serialisation, HTTP to DynamoDB Local, parsing), in ms. */
  timeMs: number;
  /** The same time split by the function whose calls they are, e.g. `PersistOrder`. */
  timeMsByFunction: Record<string, number>;
  /** Calls and capacity units by function and operation, e.g. `PersistOrder TransactWriteItems`. */
  byCall: Record<string, { calls: number; readUnits: number; writeUnits: number }>;
}

/** The function of the request path whose DynamoDB calls are being made. */
const currentFunction = new AsyncLocalStorage<FunctionName>();

function asFunction<T>(name: FunctionName, work: () => Promise<T>): Promise<T> {
  return currentFunction.run(name, work);
}

/** Set while the benchmark reads items to size a transaction, so those reads are not tallied. */
const sizingReads = new AsyncLocalStorage<true>();

let sizeTransactions = false;

/**
 * Turns the sizing of TransactWriteItems calls on or off. Sizing reads every updated item back,
 * which would slow the measured orders down. The timed phases therefore leave it off and record
 * no units for transactions, and `calibrateTransactionUnits` fills them in afterwards.
 */
export function setTransactionSizing(enabled: boolean): void {
  sizeTransactions = enabled;
}

/**
 * Gives each TransactWriteItems call in `tallies` the write units per call measured in
 * `calibration`, a phase run with sizing on, and adds them to the tallies' totals.
 */
export function calibrateTransactionUnits(
  tallies: readonly DynamoDbTally[],
  calibration: DynamoDbTally,
): void {
  for (const tally of tallies) {
    for (const [call, used] of Object.entries(tally.byCall)) {
      const sized = calibration.byCall[call];
      if (!call.endsWith(" TransactWriteItems") || sized === undefined || sized.calls === 0) {
        continue;
      }
      const units = used.calls * (sized.writeUnits / sized.calls);
      used.writeUnits += units;
      tally.writeUnits += units;
    }
  }
}

/**
 * Computes the write units of a TransactWriteItems call from its items' sizes: 2 per started KB
 * per item. DynamoDB Local under-reports them: it reported 6 units both for a 1.5 KB put with one
 * small update and for the same put with three. A put is sized from its request. An update,
 * delete or condition check is sized from the item as stored after the call; AWS takes the larger
 * of the sizes before and after, so this can be a little low for items that shrink.
 */
async function transactionWriteUnits(
  store: Store,
  items: readonly TransactWriteItem[],
): Promise<number> {
  let units = 0;
  for (const item of items) {
    if (item.Put?.Item !== undefined) {
      units += transactionalWriteUnits(itemBytes(asAttributeValues(item.Put.Item)));
      continue;
    }
    const key = (item.Update ?? item.Delete ?? item.ConditionCheck)?.Key;
    const tableName = (item.Update ?? item.Delete ?? item.ConditionCheck)?.TableName;
    if (key === undefined) continue;
    const stored = await sizingReads.run(true, () =>
      store.client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: asAttributeValues(key),
          ConsistentRead: true,
        }),
      ),
    );
    units += transactionalWriteUnits(stored.Item === undefined ? 0 : itemBytes(stored.Item));
  }
  return units;
}

export interface CeilingPhaseResult {
  concurrency: number;
  orders: number;
  errors: number;
  errorSamples: string[];
  durationSeconds: number;
  ordersPerSecond: number;
  latency: LatencySummary;
  /** Latency of every placed order, in ms. */
  latencies: number[];
  dynamodb: DynamoDbTally;
}

export interface CeilingPhaseOptions {
  store: Store;
  concurrency: number;
  maxOrders: number;
  maxSeconds: number;
  keyPrefix: string;
  firstOrder: number;
  progress: ProgressLine;
}

const readOperations = new Set(["GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"]);
const capacityOperations = new Set([
  ...readOperations,
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "TransactWriteItems",
]);

interface ConsumedCapacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

/**
 * Adds a middleware to the store's DynamoDB client that asks every call for its consumed
 * capacity and adds calls, capacity units and time to `tally`. The handlers' own clients are
 * untouched; this client is the benchmark's.
 */
export function instrumentClient(store: Store, tally: () => DynamoDbTally): void {
  store.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (sizingReads.getStore() === true) {
        return next(args);
      }
      const operation = (context.commandName ?? "Unknown").replace(/Command$/, "");
      const input = args.input as Record<string, unknown>;
      if (capacityOperations.has(operation)) {
        input.ReturnConsumedCapacity = "TOTAL";
      }

      const started = performance.now();
      const result = await next(args);
      const current = tally();
      const elapsed = performance.now() - started;
      const functionName = currentFunction.getStore() ?? "unknown";
      current.timeMs += elapsed;
      current.timeMsByFunction[functionName] =
        (current.timeMsByFunction[functionName] ?? 0) + elapsed;
      current.calls[operation] = (current.calls[operation] ?? 0) + 1;

      const consumed = (
        result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }
      ).ConsumedCapacity;
      let entries: ConsumedCapacity[] = [];
      if (operation === "TransactWriteItems") {
        if (sizeTransactions) {
          const items = (input.TransactItems ?? []) as TransactWriteItem[];
          entries = [{ WriteCapacityUnits: await transactionWriteUnits(store, items) }];
        }
      } else if (Array.isArray(consumed)) {
        entries = consumed;
      } else if (consumed !== undefined) {
        entries = [consumed];
      }
      const call = `${functionName} ${operation}`;
      const perCall = current.byCall[call] ?? { calls: 0, readUnits: 0, writeUnits: 0 };
      current.byCall[call] = perCall;
      perCall.calls += 1;
      for (const entry of entries) {
        const units = entry.CapacityUnits ?? 0;
        let read = 0;
        let write = 0;
        if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
          read = entry.ReadCapacityUnits ?? 0;
          write = entry.WriteCapacityUnits ?? 0;
        } else if (readOperations.has(operation)) {
          read = units;
        } else {
          write = units;
        }
        current.readUnits += read;
        current.writeUnits += write;
        perCall.readUnits += read;
        perCall.writeUnits += write;
      }
      return result;
    },
    { step: "initialize", name: "orderflowBenchConsumedCapacity" },
  );
}

export function emptyTally(): DynamoDbTally {
  return {
    calls: {},
    readUnits: 0,
    writeUnits: 0,
    timeMs: 0,
    timeMsByFunction: {},
    byCall: {},
  };
}

/** Writes the bench products with enough stock for every order of a run. */
export async function seedBenchProducts(store: Store): Promise<void> {
  const items = BENCH_PRODUCTS.map((product) => ({
    ...product,
    currency: STORE_CURRENCY,
    stock: BENCH_STOCK,
  }));
  const result = await store.product.put(items).go();
  if (result.unprocessed.length > 0) {
    throw new Error(`Seeding the bench products left ${result.unprocessed.length} unwritten`);
  }
}

/**
 * The DynamoDB calls of one order, in the order the request path makes them, through the same
 * core functions the handlers call:
 *
 * - PlaceOrder claims the Idempotency-Key (PutItem);
 * - Validate reads the products (BatchGetItem);
 * - Price reads them again (BatchGetItem) and prices the order;
 * - Persist looks the order id up (GetItem) and runs the TransactWriteItems;
 * - Notify reads the notification status (GetItem) and records the outcome (UpdateItem);
 * - PlaceOrder stores the response for replays (UpdateItem).
 *
 * Everything between the calls (HTTP, Lambda, Step Functions, SES) is left out, which is what
 * makes this the ceiling. NOTE: keep this list in step with packages/functions/src.
 */
async function placeOrderDirectly(store: Store, n: number, key: string): Promise<void> {
  const body = benchOrder(n);
  const orderId = newOrderId();
  const accessToken = generateAccessToken();
  const receivedAt = new Date();

  await asFunction("PlaceOrder", () =>
    claimIdempotencyKey(store, { key, requestHash: requestFingerprint(body), orderId }),
  );

  const request = await asFunction("ValidateOrder", () => validateOrder(store, body));
  const pricing = await asFunction("PriceOrder", () => priceRequest(store, request, receivedAt));
  const { order } = await asFunction("PersistOrder", () =>
    persistOrder(store, {
      orderId,
      accessTokenHash: hashAccessToken(accessToken),
      idempotencyRecordId: idempotencyRecordId(key),
      request,
      pricing,
      executionArn: `arn:aws:states:us-east-1:000000000000:execution:bench:${orderId}`,
      steps: [],
    }),
  );

  await asFunction("NotifyOrder", async () => {
    if (!(await notificationSent(store, orderId))) {
      await recordNotification(store, orderId, "sent", order.workflow.steps);
    }
  });

  await asFunction("PlaceOrder", () =>
    storeIdempotentResponse(store, {
      key,
      orderId,
      status: 201,
      body: JSON.stringify({ accessToken, ...order }),
    }),
  );
}

/**
 * Places orders directly against DynamoDB with `concurrency` loops running at once, until
 * `maxOrders` are placed or `maxSeconds` pass, and records each order's latency.
 */
export async function runCeilingPhase(
  options: CeilingPhaseOptions,
  tally: DynamoDbTally,
): Promise<CeilingPhaseResult> {
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = options.firstOrder;
  const last = options.firstOrder + options.maxOrders;
  const started = performance.now();
  const deadline = started + options.maxSeconds * 1000;

  const loop = async () => {
    while (next < last && performance.now() < deadline) {
      const n = next++;
      const orderStarted = performance.now();
      try {
        await placeOrderDirectly(options.store, n, `${options.keyPrefix}-${n}`);
        latencies.push(performance.now() - orderStarted);
      } catch (error) {
        errors++;
        if (errorSamples.length < 5) {
          errorSamples.push(
            error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          );
        }
      }
      options.progress.update(
        `c=${options.concurrency} ${latencies.length + errors}/${options.maxOrders} orders`,
      );
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));

  const durationSeconds = (performance.now() - started) / 1000;
  return {
    concurrency: options.concurrency,
    orders: latencies.length,
    errors,
    errorSamples,
    durationSeconds,
    ordersPerSecond: latencies.length / durationSeconds,
    latency: summarizeLatencies(latencies),
    latencies,
    dynamodb: tally,
  };
}

/** Combines two runs at the same concurrency into one result, as if they were one phase. */
export function mergeCeilingPhases(
  first: CeilingPhaseResult,
  second: CeilingPhaseResult,
): CeilingPhaseResult {
  const latencies = [...first.latencies, ...second.latencies];
  const durationSeconds = first.durationSeconds + second.durationSeconds;
  return {
    concurrency: first.concurrency,
    orders: first.orders + second.orders,
    errors: first.errors + second.errors,
    errorSamples: [...first.errorSamples, ...second.errorSamples].slice(0, 5),
    durationSeconds,
    ordersPerSecond: latencies.length / durationSeconds,
    latency: summarizeLatencies(latencies),
    latencies,
    dynamodb: second.dynamodb,
  };
}
