import { describe, expect, it } from "vitest";
import { decodeUtf8 } from "./event.ts";

describe("decodeUtf8", () => {
  it.each<[string, number[], string]>([
    ["ASCII", [0x41, 0x64, 0x61], "Ada"],
    ["a two-byte sequence", [0xc3, 0xbc], "ü"],
    ["a four-byte sequence", [0xf0, 0x9f, 0x93, 0xa6], "📦"],
    ["a leading byte order mark", [0xef, 0xbb, 0xbf, 0x7b, 0x7d], "\uFEFF{}"],
  ])("decodes %s", (_label, bytes, expected) => {
    // Act
    const text = decodeUtf8(Uint8Array.from(bytes));

    // Assess
    expect(text).toBe(expected);
  });

  it.each<[string, number[]]>([
    ["bytes FF FE", [0x41, 0xff, 0xfe, 0x42]],
    ["a CESU-8 surrogate", [0xed, 0xa0, 0x80]],
    ["an overlong slash", [0xc0, 0xaf]],
    ["a truncated sequence", [0xe2, 0x82]],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
  ])("rejects %s", (_label, bytes) => {
    // Act
    const text = decodeUtf8(Uint8Array.from(bytes));

    // Assess
    expect(text).toBeUndefined();
  });
});
