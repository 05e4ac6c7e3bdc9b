/**
 * Reads the result of a synchronous workflow run, as StartSyncExecution reports it, into the
 * order or the error the API returns. The run's `status` decides, not only its output.
 */
import {
  type DomainError,
  domainErrorFromCause,
  WorkflowTimeoutError,
} from "../errors/domain-errors.ts";
import type { Order } from "../order/order.ts";
import { WORKFLOW_DOMAIN_ERRORS } from "./definition.ts";

export interface SyncExecutionResult {
  status?: string;
  output?: string;
  error?: string;
  cause?: string;
}

/**
 * A run that failed for a reason that is not the shopper's. Its `message` names the workflow
 * error for the logs; the API returns 500 without it.
 */
export class WorkflowFailedError extends Error {
  readonly workflowError: string | undefined;

  constructor(status: string | undefined, workflowError: string | undefined) {
    super(
      `The order workflow ended with status ${status ?? "(none)"} and error ${workflowError ?? "(none)"}`,
    );
    this.name = "WorkflowFailedError";
    this.workflowError = workflowError;
  }
}

const domainErrorNames = new Set<string>(WORKFLOW_DOMAIN_ERRORS);

/**
 * Returns the order of a SUCCEEDED run. Throws the domain error of a run that a step rejected,
 * WorkflowTimeoutError for TIMED_OUT, and WorkflowFailedError for any other ending.
 */
export function orderFromExecution(result: SyncExecutionResult): Order {
  switch (result.status) {
    case "SUCCEEDED": {
      const order = parseOutput(result.output);
      if (order === undefined) {
        throw new WorkflowFailedError(result.status, "the output is not an order");
      }
      return order;
    }
    case "FAILED": {
      throw rejectionOf(result) ?? new WorkflowFailedError(result.status, result.error);
    }
    case "TIMED_OUT":
      throw new WorkflowTimeoutError();
    default:
      throw new WorkflowFailedError(result.status, result.error);
  }
}

function rejectionOf(result: SyncExecutionResult): DomainError | undefined {
  if (result.error === undefined || !domainErrorNames.has(result.error)) {
    return undefined;
  }
  const error = domainErrorFromCause(result.cause);
  // The error name and the payload must agree, or the cause is not one of ours.
  return error?.name === result.error ? error : undefined;
}

function parseOutput(output: string | undefined): Order | undefined {
  if (output === undefined) {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(output);
    if (
      typeof value === "object" &&
      value !== null &&
      typeof (value as { orderId?: unknown }).orderId === "string"
    ) {
      return value as Order;
    }
  } catch {
    // Not JSON: reported below as a failed run.
  }
  return undefined;
}
