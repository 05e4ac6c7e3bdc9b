import { describe, expect, it } from "vitest";
import {
  IdempotencyKeyInUseError,
  InvalidPromotionError,
  OutOfStockError,
  UnknownProductError,
  ValidationError,
  WorkflowTimeoutError,
} from "../errors/domain-errors.ts";
import { orderFromExecution, WorkflowFailedError } from "./outcome.ts";

/** The Cause Step Functions reports for an error thrown by a Lambda function. */
function lambdaCause(error: Error): string {
  return JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: ["at x"] });
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("orderFromExecution", () => {
  it("returns the order of a SUCCEEDED run", () => {
    const output = JSON.stringify({ orderId: "01J", status: "confirmed" });

    expect(orderFromExecution({ status: "SUCCEEDED", output }).orderId).toBe("01J");
  });

  it.each([
    ["no output", undefined],
    ["output that is not JSON", "{"],
    ["output without an order id", '{"status":"confirmed"}'],
  ])("treats a SUCCEEDED run with %s as failed", (_case, output) => {
    expect(thrownBy(() => orderFromExecution({ status: "SUCCEEDED", output }))).toBeInstanceOf(
      WorkflowFailedError,
    );
  });

  it.each([
    [new ValidationError([{ path: "lines", code: "too_small", message: "must have 1 item" }]), 422],
    [new UnknownProductError(["NOPE-1"]), 422],
    [new InvalidPromotionError("ONCEONLY", "used_up"), 422],
    [new OutOfStockError([{ sku: "MUG-1", requested: 3, available: 1 }]), 409],
    [new IdempotencyKeyInUseError(), 409],
  ])("rebuilds %s from a FAILED run", (domainError, status) => {
    const error = thrownBy(() =>
      orderFromExecution({
        status: "FAILED",
        error: domainError.name,
        cause: lambdaCause(domainError),
      }),
    );

    expect(error).toBeInstanceOf(domainError.constructor);
    expect((error as typeof domainError).toJSON()).toEqual(domainError.toJSON());
    expect((error as typeof domainError).status).toBe(status);
  });

  it.each([
    ["an error that is not a domain error", "States.Runtime", "An error occurred"],
    ["a domain error name with a foreign cause", "OutOfStockError", "not json"],
    [
      "an error name that disagrees with its payload",
      "OutOfStockError",
      lambdaCause(new UnknownProductError(["X-1"])),
    ],
    ["a Lambda crash", "Runtime.ExitError", '{"errorType":"Runtime.ExitError"}'],
  ])("maps %s to WorkflowFailedError", (_case, error, cause) => {
    expect(thrownBy(() => orderFromExecution({ status: "FAILED", error, cause }))).toBeInstanceOf(
      WorkflowFailedError,
    );
  });

  it("keeps the cause out of the error message", () => {
    const error = thrownBy(() =>
      orderFromExecution({ status: "FAILED", error: "Error", cause: "secret detail" }),
    ) as Error;

    expect(error.message).not.toContain("secret detail");
  });

  it("maps TIMED_OUT to WorkflowTimeoutError", () => {
    expect(thrownBy(() => orderFromExecution({ status: "TIMED_OUT" }))).toBeInstanceOf(
      WorkflowTimeoutError,
    );
  });

  it.each(["ABORTED", undefined])("maps status %s to WorkflowFailedError", (status) => {
    expect(thrownBy(() => orderFromExecution({ status }))).toBeInstanceOf(WorkflowFailedError);
  });
});
