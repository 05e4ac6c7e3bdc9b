import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../errors/domain-errors.ts";
import {
  canonicalJson,
  idempotencyRecordId,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  openResponse,
  parseIdempotencyKey,
  requestFingerprint,
  responseEncryptionKey,
  SealedResponseError,
  sealResponse,
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

describe("idempotencyRecordId", () => {
  it("is the SHA-256, hex, of the key after the record-id label", () => {
    const key = "8e03978e-40d5-43e8-bc93-6894a57f9324";
    const expected = createHash("sha256")
      .update(`orderflow/idempotency/record-id/v1\0${key}`, "utf8")
      .digest("hex");

    expect(idempotencyRecordId(key)).toBe(expected);
  });

  it("gives keys that differ only in letter case different ids", () => {
    expect(idempotencyRecordId("Key-A")).not.toBe(idempotencyRecordId("key-a"));
  });

  it("is lowercase hex, so key lowercasing cannot merge two ids", () => {
    const id = idempotencyRecordId("Key-A");

    expect(id).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is unrelated to the response encryption key of the same key", () => {
    const key = "Key-A";

    expect(responseEncryptionKey(key)).toHaveLength(32);
    expect(responseEncryptionKey(key).toString("hex")).not.toBe(idempotencyRecordId(key));
  });
});

describe("sealResponse and openResponse", () => {
  const key = "8e03978e-40d5-43e8-bc93-6894a57f9324";
  const body = JSON.stringify({
    accessToken: "tok_5Xb2q9VnK0pLr7sYc3Dw8eFh",
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
  });

  /** Replaces the first character of part `index` of a sealed response with another one. */
  function alter(sealed: string, index: number): string {
    const parts = sealed.split(".");
    const part = parts[index] ?? "";
    parts[index] = `${part.startsWith("A") ? "B" : "A"}${part.slice(1)}`;
    return parts.join(".");
  }

  function openError(openKey: string, sealed: string): unknown {
    try {
      openResponse(openKey, sealed);
    } catch (error) {
      return error;
    }
    return undefined;
  }

  it("opens what it sealed with the same key", () => {
    expect(openResponse(key, sealResponse(key, body))).toBe(body);
  });

  it("round-trips text outside ASCII", () => {
    const text = '{"name":"Zoë Ångström 東京"}';

    expect(openResponse(key, sealResponse(key, text))).toBe(text);
  });

  it("holds neither the body nor the key in readable form", () => {
    const sealed = sealResponse(key, body);

    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("ada@example.com");
    expect(sealed).not.toContain("tok_");
    expect(sealed).not.toContain(key);
  });

  it("uses a new IV each time, so the same body seals differently", () => {
    const first = sealResponse(key, body);
    const second = sealResponse(key, body);

    expect(first.split(".")[1]).not.toBe(second.split(".")[1]);
    expect(first).not.toBe(second);
  });

  it.each([
    ["another key", "8e03978e-40d5-43e8-bc93-6894a57f9325"],
    ["the key in another letter case", key.toUpperCase()],
  ])("refuses to open under %s", (_case, otherKey) => {
    expect(openError(otherKey, sealResponse(key, body))).toBeInstanceOf(SealedResponseError);
  });

  it.each([
    ["IV", 1],
    ["ciphertext", 2],
    ["authentication tag", 3],
  ])("refuses a sealed response whose %s was altered", (_case, index) => {
    const sealed = alter(sealResponse(key, body), index);

    expect(openError(key, sealed)).toBeInstanceOf(SealedResponseError);
  });

  it.each([
    ["an empty string", ""],
    ["plain JSON", body],
    ["an unknown version", sealResponse(key, body).replace(/^v1/, "v9")],
    ["a missing tag", sealResponse(key, body).split(".").slice(0, 3).join(".")],
  ])("refuses %s", (_case, sealed) => {
    expect(openError(key, sealed)).toBeInstanceOf(SealedResponseError);
  });

  it("names the error without echoing the body", () => {
    const error = openError("another key", sealResponse(key, body)) as Error;

    expect(error.name).toBe("SealedResponseError");
    expect(error.message).not.toContain("ada@example.com");
  });
});
