import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "./api.ts";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-12-04T10:00:00Z");

  it.each([
    ["2", 2],
    [" 10 ", 10],
    ["0", 0],
    ["Fri, 04 Dec 2026 10:00:05 GMT", 5],
    ["Fri, 04 Dec 2026 09:59:00 GMT", 0],
  ])("reads %j as %i seconds", (value, seconds) => {
    const response = { headers: new Headers({ "Retry-After": value }) };

    expect(parseRetryAfter(response, now)).toBe(seconds);
  });

  it.each([[""], ["soon"], ["-1"]])("ignores the invalid value %j", (value) => {
    const response = { headers: new Headers({ "Retry-After": value }) };

    expect(parseRetryAfter(response, now)).toBeUndefined();
  });

  it("returns undefined without the header", () => {
    expect(parseRetryAfter({ headers: new Headers() }, now)).toBeUndefined();
  });
});
