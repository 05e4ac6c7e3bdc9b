/**
 * The order workflow as a JSONPath Amazon States Language definition:
 * Validate → Price → Persist → Notify → Done.
 *
 * The SST stack deploys this object and the offline stack runs the same object, so the two cannot
 * drift. Data flow: each Task receives only the fields it needs (`Parameters`), keeps only the
 * fields it promises (`ResultSelector`) and stores them under its own key (`ResultPath`), so no
 * state's input or output grows beyond the request plus its priced lines.
 */
import type { Catcher, Retrier, StateMachineDefinition, TaskState } from "./asl.ts";
import type { WorkflowStep } from "./messages.ts";

/** Errors Lambda reports for a failed invocation that is safe to repeat. */
export const TRANSIENT_LAMBDA_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
] as const;

/** Errors for a Task that ran out of time: the state's own timeout and Lambda's. */
export const TASK_TIMEOUT_ERRORS = ["States.Timeout", "Sandbox.Timedout"] as const;

/**
 * Domain errors the steps throw on purpose. Catching them ends the run at `Rejected`, which
 * carries the error name and cause, so StartSyncExecution reports FAILED with that error and the
 * API turns it into 409 or 422.
 */
export const WORKFLOW_DOMAIN_ERRORS = [
  "ValidationError",
  "UnknownProductError",
  "InvalidPromotionError",
  "OutOfStockError",
  "IdempotencyKeyInUseError",
] as const;

/** Seconds each Task may run; equal to its function's Lambda timeout in stacks/manifest.ts. */
export const TASK_TIMEOUT_SECONDS = 10;

/**
 * Maximum run time in seconds. It stays under the PlaceOrder function's 29-second timeout, so the
 * API receives TIMED_OUT and returns 504 before its own Lambda is stopped.
 */
export const WORKFLOW_TIMEOUT_SECONDS = 25;

const transientRetry: Retrier = {
  ErrorEquals: [...TRANSIENT_LAMBDA_ERRORS],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
  MaxDelaySeconds: 4,
  JitterStrategy: "FULL",
};

// Only for steps that are safe to run twice: Validate and Price read, and Persist finds the order
// it already wrote. Notify is not retried after a timeout, because the e-mail may have gone out.
const timeoutRetry: Retrier = {
  ErrorEquals: [...TASK_TIMEOUT_ERRORS],
  IntervalSeconds: 1,
  MaxAttempts: 1,
  BackoffRate: 2,
  MaxDelaySeconds: 2,
  JitterStrategy: "FULL",
};

const rejectOnDomainError: Catcher = {
  ErrorEquals: [...WORKFLOW_DOMAIN_ERRORS],
  ResultPath: "$.error",
  Next: "Rejected",
};

function task(resource: string, fields: Omit<TaskState, "Type" | "Resource" | "TimeoutSeconds">) {
  return {
    Type: "Task",
    Resource: resource,
    TimeoutSeconds: TASK_TIMEOUT_SECONDS,
    ...fields,
  } satisfies TaskState;
}

/** Builds the definition with each Task invoking the Lambda function whose ARN is given. */
export function orderWorkflowDefinition(
  taskArns: Readonly<Record<WorkflowStep, string>>,
): StateMachineDefinition {
  return {
    Comment: "Places an order: validate, price, persist with stock, notify the shopper.",
    StartAt: "Validate",
    TimeoutSeconds: WORKFLOW_TIMEOUT_SECONDS,
    States: {
      Validate: task(taskArns.Validate, {
        Comment: "Checks the request against the schema and the catalog.",
        Parameters: {
          "orderId.$": "$.orderId",
          "executionArn.$": "$$.Execution.Id",
          "request.$": "$.request",
        },
        ResultSelector: { "request.$": "$.request", "step.$": "$.step" },
        ResultPath: "$.validated",
        Retry: [transientRetry, timeoutRetry],
        Catch: [rejectOnDomainError],
        Next: "Price",
      }),
      Price: task(taskArns.Price, {
        Comment: "Prices the lines, discount, shipping and tax from the catalog.",
        Parameters: {
          "orderId.$": "$.orderId",
          "executionArn.$": "$$.Execution.Id",
          "request.$": "$.validated.request",
          "receivedAt.$": "$.receivedAt",
        },
        ResultSelector: { "pricing.$": "$.pricing", "step.$": "$.step" },
        ResultPath: "$.priced",
        Retry: [transientRetry, timeoutRetry],
        Catch: [rejectOnDomainError],
        Next: "Persist",
      }),
      Persist: task(taskArns.Persist, {
        Comment: "Writes the order and decrements stock in one transaction.",
        Parameters: {
          "orderId.$": "$.orderId",
          "accessTokenHash.$": "$.accessTokenHash",
          "idempotencyRecordId.$": "$.idempotencyRecordId",
          "request.$": "$.validated.request",
          "pricing.$": "$.priced.pricing",
          "executionArn.$": "$$.Execution.Id",
          "steps.$": "States.Array($.validated.step, $.priced.step)",
        },
        ResultPath: "$.order",
        Retry: [transientRetry, timeoutRetry],
        Catch: [rejectOnDomainError],
        Next: "Notify",
      }),
      Notify: task(taskArns.Notify, {
        Comment: "Sends the confirmation e-mail and records that it was sent.",
        Parameters: { "order.$": "$.order", "executionArn.$": "$$.Execution.Id" },
        ResultPath: "$.order",
        Retry: [transientRetry],
        // The order is stored with its e-mail marked as owed, so a failed Notify leaves it
        // confirmed and correct; the run still succeeds.
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.notifyError", Next: "Done" }],
        Next: "Done",
      }),
      Done: {
        Type: "Succeed",
        OutputPath: "$.order",
      },
      Rejected: {
        Type: "Fail",
        Comment: "Ends the run with the domain error a step threw.",
        ErrorPath: "$.error.Error",
        CausePath: "$.error.Cause",
      },
    },
  };
}
