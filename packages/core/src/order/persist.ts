/**
 * Writes a priced order in one DynamoDB transaction: the order item, a conditional stock
 * decrement per line, the completion of the idempotency record and the promotion redemption
 * counter. Either all of them happen or none.
 *
 * The order id comes from the caller (the workflow input), so a Persist step that runs again after
 * its transaction committed finds the order and returns it instead of writing a second time.
 */

import {
  type BackoffOptions,
  backoffDelayMs,
  defaultBackoff,
  isThrottlingError,
  sleep,
} from "../db/retry.ts";
import type { Store } from "../db/table.ts";
import {
  IdempotencyKeyInUseError,
  InvalidPromotionError,
  OutOfStockError,
  type StockShortage,
} from "../errors/domain-errors.ts";
import type { Logger } from "../logging/logger.ts";
import type { Order, OrderPricing, WorkflowStepTiming } from "./order.ts";
import { orderFromItem } from "./order.ts";
import type { OrderRequest } from "./request.ts";

export interface PersistOrderInput {
  orderId: string;
  accessTokenHash: string;
  /** Id of the `in_progress` idempotency record this order completes, if the request had a key. */
  idempotencyRecordId: string | null;
  request: OrderRequest;
  pricing: OrderPricing;
  /** Maximum redemptions of the order's promotion, when it has a cap. */
  promotionMaxRedemptions?: number;
  executionArn: string;
  /** Timings of the workflow steps that ran before this one. */
  steps: WorkflowStepTiming[];
  now?: Date;
}

export interface PersistOrderOptions {
  backoff?: BackoffOptions;
  logger?: Logger;
}

export interface PersistOrderResult {
  order: Order;
  /** False when the order already existed and this call wrote nothing. */
  created: boolean;
}

export type ActionKind = "order" | "stock" | "idempotency" | "promotion";

/** One action of the order transaction, in the order the actions are sent. */
export interface PlannedAction {
  kind: ActionKind;
  sku?: string;
  quantity?: number;
}

/** A cancellation reason as ElectroDB reports it. */
export interface CancellationReason {
  rejected: boolean;
  code: string;
}

/** Persists the order, or returns the one already stored under `input.orderId`. */
export async function persistOrder(
  store: Store,
  input: PersistOrderInput,
  options: PersistOrderOptions = {},
): Promise<PersistOrderResult> {
  const backoff = options.backoff ?? defaultBackoff;
  const wait = backoff.sleep ?? sleep;

  const existing = await readOrder(store, input.orderId);
  if (existing) {
    options.logger?.info("order.persist.already_stored", { orderId: input.orderId });
    return { order: existing, created: false };
  }

  for (let attempt = 0; ; attempt++) {
    const outcome = await tryWrite(store, input);
    if (outcome.kind === "written") {
      return { order: outcome.order, created: true };
    }
    if (outcome.kind === "exists") {
      const stored = await readOrder(store, input.orderId);
      if (stored) {
        options.logger?.info("order.persist.already_stored", { orderId: input.orderId });
        return { order: stored, created: false };
      }
    }
    if (outcome.kind === "condition_failed") {
      const error = await explainConditionFailure(store, input, outcome.failed);
      if (error) {
        throw error;
      }
    }

    // A conflict, throttling, or a condition that no longer fails when read back is retried.
    // NOTE: DynamoDB Local ran 200 competing transactions without one TransactionConflict, so
    // the conflict retry is tested through classifyCancellation only, not against a database.
    if (attempt + 1 >= backoff.maxAttempts) {
      throw new Error(
        `Persisting order ${input.orderId} failed after ${backoff.maxAttempts} attempts: ${outcome.reason}`,
      );
    }
    const delayMs = backoffDelayMs(attempt, backoff);
    options.logger?.warn("order.persist.retry", {
      orderId: input.orderId,
      attempt: attempt + 1,
      reason: outcome.reason,
      delayMs,
    });
    await wait(delayMs);
  }
}

async function readOrder(store: Store, orderId: string): Promise<Order | undefined> {
  const result = await store.order.get({ orderId }).go({ consistent: true });
  return result.data ? orderFromItem(result.data) : undefined;
}

export type WriteOutcome =
  | { kind: "written"; order: Order }
  | { kind: "exists"; reason: string }
  | { kind: "condition_failed"; failed: PlannedAction[]; reason: string }
  | { kind: "retry"; reason: string };

async function tryWrite(store: Store, input: PersistOrderInput): Promise<WriteOutcome> {
  const createdAt = (input.now ?? new Date()).toISOString();
  const { request, pricing } = input;
  const planned: PlannedAction[] = [];

  const item = {
    orderId: input.orderId,
    status: "confirmed" as const,
    createdAt,
    currency: pricing.currency,
    customerName: request.customer.name,
    customerEmail: request.customer.email,
    shippingAddress: request.shippingAddress,
    lines: pricing.lines,
    totals: pricing.totals,
    promotionCode: pricing.promotionCode,
    accessTokenHash: input.accessTokenHash,
    notificationStatus: "owed" as const,
    executionArn: input.executionArn,
    workflowSteps: input.steps,
    idempotencyRecordId: input.idempotencyRecordId ?? undefined,
  };

  let response: Awaited<ReturnType<ReturnType<typeof store.service.transaction.write>["go"]>>;
  try {
    response = await store.service.transaction
      .write(({ order, product, idempotency, promotionRedemption }) => {
        const actions = [];

        planned.push({ kind: "order" });
        actions.push(order.create(item).commit());

        for (const line of request.lines) {
          planned.push({ kind: "stock", sku: line.sku, quantity: line.quantity });
          actions.push(
            product
              .update({ sku: line.sku })
              .subtract({ stock: line.quantity })
              .where(({ stock }, { gte }) => gte(stock, line.quantity))
              .commit(),
          );
        }

        const recordId = input.idempotencyRecordId;
        if (recordId !== null) {
          planned.push({ kind: "idempotency" });
          actions.push(
            idempotency
              .patch({ recordId })
              .set({ status: "completed", responseStatus: 201 })
              .where(
                ({ status, orderId }, { eq }) =>
                  `${eq(status, "in_progress")} AND ${eq(orderId, input.orderId)}`,
              )
              .commit(),
          );
        }

        const code = pricing.promotionCode;
        if (code !== undefined) {
          const max = input.promotionMaxRedemptions;
          planned.push({ kind: "promotion" });
          actions.push(
            promotionRedemption
              .update({ code })
              .add({ redemptions: 1 })
              .where(({ redemptions }, { notExists, lt }) =>
                max === undefined
                  ? `${notExists(redemptions)} OR ${lt(redemptions, Number.MAX_SAFE_INTEGER)}`
                  : `${notExists(redemptions)} OR ${lt(redemptions, max)}`,
              )
              .commit(),
          );
        }

        return actions;
      })
      .go();
  } catch (error) {
    if (isThrottlingError(error)) {
      return { kind: "retry", reason: error instanceof Error ? error.name : "throttled" };
    }
    throw error;
  }

  if (!response.canceled) {
    return { kind: "written", order: orderFromItem(item) };
  }

  // ElectroDB returns one reason per action, in the order the actions were listed.
  return classifyCancellation(planned, response.data as unknown as CancellationReason[]);
}

export type CancellationOutcome = Exclude<WriteOutcome, { kind: "written" }>;

/**
 * Decides what a cancelled order transaction means from its reasons, one per planned action: a
 * failed condition on the order means it exists already, other failed conditions are the
 * shopper's problem, and anything else (TransactionConflict, ThrottlingError) is retried.
 */
export function classifyCancellation(
  planned: readonly PlannedAction[],
  reasons: readonly CancellationReason[],
): CancellationOutcome {
  const codeAt = (index: number) => reasons[index]?.code ?? "None";
  const summary = reasons.map((reason) => reason.code).join(",");

  if (planned[0]?.kind === "order" && codeAt(0) === "ConditionalCheckFailed") {
    return { kind: "exists", reason: `order exists (${summary})` };
  }
  const failed = planned.filter((_, index) => codeAt(index) === "ConditionalCheckFailed");
  if (failed.length > 0) {
    return { kind: "condition_failed", failed, reason: `condition failed (${summary})` };
  }
  return { kind: "retry", reason: `transaction cancelled (${summary})` };
}

/**
 * Turns the failed conditions into the domain error returned to the shopper. Stock is read back because
 * a cancellation reason reports only that a condition failed, not how much is left. Returns undefined
 * when nothing is short any more, so the caller retries.
 */
async function explainConditionFailure(
  store: Store,
  input: PersistOrderInput,
  failed: PlannedAction[],
): Promise<Error | undefined> {
  if (failed.some((action) => action.kind === "stock")) {
    const shortages = await readShortages(store, input.request);
    if (shortages.length > 0) {
      return new OutOfStockError(shortages);
    }
  }
  if (failed.some((action) => action.kind === "promotion") && input.pricing.promotionCode) {
    return new InvalidPromotionError(input.pricing.promotionCode, "used_up");
  }
  if (failed.some((action) => action.kind === "idempotency")) {
    return new IdempotencyKeyInUseError();
  }
  return undefined;
}

/** Reads the stock of every line and returns those that request more than is left. */
export async function readShortages(store: Store, request: OrderRequest): Promise<StockShortage[]> {
  const keys = request.lines.map((line) => ({ sku: line.sku }));
  const result = await store.product.get(keys).go({ consistent: true });
  const stockBySku = new Map(result.data.map((product) => [product.sku, product.stock]));

  const shortages: StockShortage[] = [];
  for (const line of request.lines) {
    const available = Math.max(0, stockBySku.get(line.sku) ?? 0);
    if (available < line.quantity) {
      shortages.push({ sku: line.sku, requested: line.quantity, available });
    }
  }
  return shortages;
}
