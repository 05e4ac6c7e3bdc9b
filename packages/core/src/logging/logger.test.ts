import { describe, expect, it } from "vitest";
import { createLogger, errorFields } from "./logger.ts";

function capture() {
  const lines: string[] = [];
  const logger = createLogger({
    service: "place-order",
    level: "info",
    sink: (line) => lines.push(line),
    now: () => new Date("2026-12-04T10:00:00.000Z"),
  });
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe("createLogger", () => {
  it("writes one JSON line per event", () => {
    const { logger, lines, records } = capture();

    logger.info("order.placed", { total: 3682 });

    expect(lines).toHaveLength(1);
    expect(records()[0]).toEqual({
      time: "2026-12-04T10:00:00.000Z",
      level: "info",
      service: "place-order",
      event: "order.placed",
      total: 3682,
    });
  });

  it("attaches the invocation context to every line", () => {
    const { logger, records } = capture();

    logger.setContext({ requestId: "req-1" });
    logger.info("first");
    logger.child({ orderId: "01J" }).warn("second");

    expect(records()[0]).toMatchObject({ requestId: "req-1" });
    expect(records()[1]).toMatchObject({ requestId: "req-1", orderId: "01J", level: "warn" });
  });

  it("replaces the context on the next invocation", () => {
    const { logger, records } = capture();

    logger.setContext({ requestId: "req-1", orderId: "A" });
    logger.setContext({ requestId: "req-2" });
    logger.info("event");

    expect(records()[0]?.requestId).toBe("req-2");
    expect(records()[0]).not.toHaveProperty("orderId");
  });

  it("drops events below its level", () => {
    const { logger, lines } = capture();

    logger.debug("noise");

    expect(lines).toHaveLength(0);
  });

  it("serialises errors and bigints nested in fields", () => {
    const { logger, records } = capture();

    logger.error("failed", { cause: new TypeError("bad"), count: 10n });

    expect(records()[0]).toMatchObject({
      cause: { errorName: "TypeError", errorMessage: "bad" },
      count: "10",
    });
  });
});

describe("errorFields", () => {
  it("describes a thrown value that is no Error", () => {
    expect(errorFields("boom")).toEqual({ errorName: "string", errorMessage: "boom" });
  });
});
