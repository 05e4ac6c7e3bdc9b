import { describe, expect, it } from "vitest";
import {
  accessTokenMatches,
  bearerToken,
  generateAccessToken,
  hashAccessToken,
} from "./access-token.ts";

describe("generateAccessToken", () => {
  it("returns 256 random bits as base64url", () => {
    const token = generateAccessToken();

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateAccessToken()).not.toBe(token);
  });
});

describe("accessTokenMatches", () => {
  it("accepts the token whose hash is stored", () => {
    const token = generateAccessToken();

    expect(accessTokenMatches(token, hashAccessToken(token))).toBe(true);
  });

  it.each([
    ["another token", () => generateAccessToken()],
    ["an empty token", () => ""],
  ])("rejects %s", (_case, makeToken) => {
    const stored = hashAccessToken(generateAccessToken());

    expect(accessTokenMatches(makeToken(), stored)).toBe(false);
  });

  it("rejects a stored hash of another length", () => {
    expect(accessTokenMatches("token", "abcd")).toBe(false);
  });

  it("stores a SHA-256 hex digest, never the token", () => {
    const token = generateAccessToken();

    const hash = hashAccessToken(token);

    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(token);
  });
});

describe("bearerToken", () => {
  it.each([
    ["Bearer abc.DEF-_~+/=", "abc.DEF-_~+/="],
    ["bearer abc", "abc"],
    ["BEARER   abc  ", "abc"],
    ["Basic YTpi", undefined],
    ["Bearer", undefined],
    ["Bearer ", undefined],
    ["Bearer a b", undefined],
    ["abc", undefined],
    [undefined, undefined],
  ])("reads %j as %j", (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});
