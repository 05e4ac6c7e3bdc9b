import { describe, expect, it } from "vitest";
import { isRetryableProblem, OrderAttempts } from "./order-attempt.ts";

function numberedKeys() {
  let next = 0;
  return () => {
    next += 1;
    return `key-${next}`;
  };
}

describe("OrderAttempts", () => {
  it("reuses the key when the same body is sent again", () => {
    const attempts = new OrderAttempts(numberedKeys());

    const first = attempts.keyFor('{"a":1}');
    const retry = attempts.keyFor('{"a":1}');

    expect(first).toBe("key-1");
    expect(retry).toBe("key-1");
  });

  it("takes a new key when the body changes", () => {
    const attempts = new OrderAttempts(numberedKeys());

    attempts.keyFor('{"a":1}');
    const changed = attempts.keyFor('{"a":2}');

    expect(changed).toBe("key-2");
  });

  it("takes a new key after the attempt finished", () => {
    const attempts = new OrderAttempts(numberedKeys());
    attempts.keyFor('{"a":1}');

    attempts.finish();

    expect(attempts.keyFor('{"a":1}')).toBe("key-2");
  });

  it("makes random UUID keys by default", () => {
    const key = new OrderAttempts().keyFor("{}");

    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe("isRetryableProblem", () => {
  it.each([
    [503, "busy", true],
    [504, "timeout", true],
    [409, "idempotency_key_in_use", true],
    [500, "internal_error", true],
    [409, "out_of_stock", false],
    [422, "validation_failed", false],
    [422, "invalid_promotion", false],
    [422, "idempotency_key_reused", false],
  ])("treats %i %s as retryable: %s", (status, code, retryable) => {
    expect(isRetryableProblem(status, code)).toBe(retryable);
  });
});
