import { describe, expect, it } from "vitest";
import { type CancellationReason, classifyCancellation, type PlannedAction } from "./persist.ts";

const planned: PlannedAction[] = [
  { kind: "order" },
  { kind: "stock", sku: "MUG-1", quantity: 2 },
  { kind: "stock", sku: "TEA-1", quantity: 1 },
  { kind: "idempotency" },
  { kind: "promotion" },
];

function reasons(...codes: string[]): CancellationReason[] {
  return codes.map((code) => ({ code, rejected: code !== "None" }));
}

describe("classifyCancellation", () => {
  it("reports an existing order when the order's condition failed", () => {
    const outcome = classifyCancellation(
      planned,
      reasons("ConditionalCheckFailed", "ConditionalCheckFailed", "None", "None", "None"),
    );

    expect(outcome.kind).toBe("exists");
  });

  it.each([
    ["one short line", ["None", "ConditionalCheckFailed", "None", "None", "None"], ["stock"]],
    [
      "two short lines",
      ["None", "ConditionalCheckFailed", "ConditionalCheckFailed", "None", "None"],
      ["stock", "stock"],
    ],
    [
      "a key owned by another order",
      ["None", "None", "None", "ConditionalCheckFailed", "None"],
      ["idempotency"],
    ],
    [
      "a used-up promotion",
      ["None", "None", "None", "None", "ConditionalCheckFailed"],
      ["promotion"],
    ],
    [
      "a short line beside a conflict",
      ["None", "ConditionalCheckFailed", "TransactionConflict", "None", "None"],
      ["stock"],
    ],
  ])("lists the failed conditions for %s", (_case, codes, kinds) => {
    const outcome = classifyCancellation(planned, reasons(...codes));

    expect(outcome.kind).toBe("condition_failed");
    expect(
      outcome.kind === "condition_failed" && outcome.failed.map((action) => action.kind),
    ).toEqual(kinds);
  });

  it.each([
    ["a transaction conflict", ["None", "TransactionConflict", "None", "None", "None"]],
    ["throttling", ["None", "None", "ThrottlingError", "None", "None"]],
    ["no reason on any action", ["None", "None", "None", "None", "None"]],
    ["fewer reasons than actions", ["TransactionConflict"]],
  ])("retries after %s", (_case, codes) => {
    const outcome = classifyCancellation(planned, reasons(...codes));

    expect(outcome.kind).toBe("retry");
    expect(outcome.reason).toContain(codes.join(","));
  });
});
