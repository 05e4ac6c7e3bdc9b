import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/domain-errors.ts";
import {
  canonicalJson,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  parseIdempotencyKey,
  requestFingerprint,
} from "./idempotency.ts";

describe("parseIdempotencyKey", () => {
  it.each([
    ["a UUID", "8e03978e-40d5-43e8-bc93-6894a57f9324"],
    ["one character", "k"],
    ["the maximum length", "k".repeat(MAX_IDEMPOTENCY_KEY_LENGTH)],
    ["inner spaces and punctuation", 'a b:"c"/~'],
  ])("accepts %s", (_case, key) => {
    expect(parseIdempotencyKey(key)).toBe(key);
  });

  it("returns undefined when the header is absent", () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each([
    ["empty", ""],
    ["one character too long", "k".repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1)],
    ["a leading space", " key"],
    ["a trailing space", "key "],
    ["a non-ASCII letter", "clé"],
    ["a tab", "a\tb"],
    ["a DEL character", "a\x7fb"],
  ])("rejects %s", (_case, key) => {
    let error: unknown;
    try {
      parseIdempotencyKey(key);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]?.path).toBe("headers.idempotency-key");
  });
});

describe("requestFingerprint", () => {
  it("ignores key order and whitespace", () => {
    const first = JSON.parse('{"a": 1, "b": {"c": [1, 2], "d": "x"}}');
    const second = JSON.parse('{"b":{"d":"x","c":[1,2]},"a":1}');

    expect(requestFingerprint(first)).toBe(requestFingerprint(second));
  });

  it.each([
    ["another value", { a: 1 }, { a: 2 }],
    ["another type", { a: 1 }, { a: "1" }],
    ["array order", { a: [1, 2] }, { a: [2, 1] }],
    ["an extra key", { a: 1 }, { a: 1, b: null }],
    ["unicode normalisation", { a: "\u00e9" }, { a: "e\u0301" }],
  ])("tells bodies apart by %s", (_case, first, second) => {
    expect(requestFingerprint(first)).not.toBe(requestFingerprint(second));
  });

  it("is a SHA-256 hex digest", () => {
    expect(requestFingerprint({})).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [{ f: 1, e: 0 }] } })).toBe(
      '{"a":{"c":[{"e":0,"f":1}],"d":2},"b":1}',
    );
  });
});
