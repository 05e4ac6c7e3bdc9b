/**
 * Messages the order workflow passes between its steps. Each Task gets only the fields it needs
 * (the state's `Parameters`) and its result lands under its own key of the state (`ResultPath`).
 */
import type { Order, WorkflowStepTiming } from "../order/order.ts";
import type { OrderRequest } from "../order/request.ts";
import type { Quote } from "../pricing/price.ts";

/** The Task states in the order they run. */
export const WORKFLOW_STEPS = ["Validate", "Price", "Persist", "Notify"] as const;
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number];

/** The execution input that place-order sends. Every key is present, null where unused. */
export interface OrderWorkflowInput {
  /** ULID chosen by place-order, so a retried Persist finds the order it already wrote. */
  orderId: string;
  accessTokenHash: string;
  /**
   * Id of the request's idempotency record (see idempotencyRecordId), never the raw
   * Idempotency-Key, because the input is kept in the execution history.
   */
  idempotencyRecordId: string | null;
  /** The request body as received; Validate checks it again. */
  request: unknown;
  /** ISO 8601 time the API received the request; promotions are checked against it. */
  receivedAt: string;
}

/** Ids every step logs with. */
export interface StepIds {
  orderId: string;
  executionArn: string;
}

export interface ValidateInput extends StepIds {
  request: unknown;
}

export interface ValidateOutput {
  request: OrderRequest;
  step: WorkflowStepTiming;
}

export interface PriceInput extends StepIds {
  request: OrderRequest;
  receivedAt: string;
}

export interface PriceOutput {
  pricing: Quote;
  step: WorkflowStepTiming;
}

export interface PersistInput extends StepIds {
  accessTokenHash: string;
  idempotencyRecordId: string | null;
  request: OrderRequest;
  pricing: Quote;
  /** Timings of Validate and Price. */
  steps: WorkflowStepTiming[];
}

/** The stored order, with Persist's own timing appended. */
export type PersistOutput = Order;

export interface NotifyInput {
  order: Order;
  /** Full ARN of the run for the step's logs, because the order carries only its name. */
  executionArn: string;
}

/** The order with the notification status and Notify's timing. */
export type NotifyOutput = Order;

/** The execution output: the order as stored. */
export type OrderWorkflowOutput = Order;

/** Measures a step: call at its start, and call the result at its end. */
export function startStepTimer(name: WorkflowStep, now: () => number = Date.now) {
  const started = now();
  return (): WorkflowStepTiming => ({
    name,
    startedAt: new Date(started).toISOString(),
    durationMs: Math.max(0, now() - started),
  });
}
