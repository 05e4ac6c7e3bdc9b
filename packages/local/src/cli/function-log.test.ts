import { describe, expect, it } from "vitest";
import { summariseFunctionLog } from "./function-log.ts";

const requestId = "0b6c8c5e-3f0a-4b7e-9d43-2f1a6f0e9c11";

function invokeError(detail: object): string {
  return `2026-12-04T10:00:00.000Z\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(detail)}`;
}

describe("summariseFunctionLog", () => {
  it("drops the stack of an invoke error", () => {
    const line = invokeError({
      errorType: "OutOfStockError",
      errorMessage: '{"items":[{"sku":"MUG-STONE-350"}]}',
      stack: "OutOfStockError: ...\n    at persist (file:///var/task/index.mjs:1:2)",
    });

    expect(summariseFunctionLog(line)).toBe(
      `invocation ${requestId} failed: OutOfStockError: {"items":[{"sku":"MUG-STONE-350"}]}`,
    );
  });

  it("flattens and caps a long message", () => {
    const line = invokeError({
      errorType: "Error",
      errorMessage: `first\nsecond ${"x".repeat(500)}`,
    });

    const summary = summariseFunctionLog(line);

    expect(summary).toMatch(/^invocation \S+ failed: Error: first second x+$/);
    expect(summary).not.toContain("\n");
    expect(summary.length).toBeLessThan(300);
  });

  it("names the type without a message", () => {
    expect(summariseFunctionLog(invokeError({ errorType: "Sandbox.Timedout" }))).toBe(
      `invocation ${requestId} failed: Sandbox.Timedout`,
    );
  });

  it("leaves other lines unchanged", () => {
    const structured = '{"level":"warn","msg":"stock.low","sku":"MUG-STONE-350"}';
    const unparsable = `2026-12-04T10:00:00.000Z\t${requestId}\tERROR\tInvoke Error \t{not json}`;

    expect(summariseFunctionLog(structured)).toBe(structured);
    expect(summariseFunctionLog(unparsable)).toBe(unparsable);
  });
});
