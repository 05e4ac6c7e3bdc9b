import {
  MalformedRequestError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from "@orderflow/core/errors";
import { createLogger } from "@orderflow/core/logging/logger";
import { describe, expect, it } from "vitest";
import {
  type HttpEvent,
  header,
  isJsonContentType,
  MAX_BODY_BYTES,
  problemResult,
  readJsonBody,
} from "./http.ts";

function event(fields: Partial<HttpEvent>): HttpEvent {
  return {
    version: "2.0",
    routeKey: "POST /orders",
    rawPath: "/orders",
    rawQueryString: "",
    headers: { "content-type": "application/json" },
    requestContext: {} as HttpEvent["requestContext"],
    isBase64Encoded: false,
    ...fields,
  };
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("isJsonContentType", () => {
  it.each([
    ["application/json", true],
    ["application/json; charset=utf-8", true],
    ["Application/JSON; Charset=UTF-8", true],
    ['application/json; charset="utf-8"', true],
    ["application/problem+json", true],
    ["application/json; charset=iso-8859-1", false],
    ["text/plain", false],
    ["application/x-www-form-urlencoded", false],
    ["multipart/form-data; boundary=x", false],
    ["application/jsonp", false],
    ["", false],
    [undefined, false],
  ])("treats %j as JSON: %s", (value, expected) => {
    expect(isJsonContentType(value)).toBe(expected);
  });
});

describe("header", () => {
  it("finds a header whatever the case of its name", () => {
    const request = event({ headers: { "Idempotency-Key": "abc" } });

    expect(header(request, "idempotency-key")).toBe("abc");
  });

  it("returns undefined for a missing header", () => {
    expect(header(event({ headers: {} }), "authorization")).toBeUndefined();
  });
});

describe("readJsonBody", () => {
  it("parses a JSON body", () => {
    expect(readJsonBody(event({ body: '{"a":[1,2]}' }))).toEqual({ a: [1, 2] });
  });

  it("decodes a base64 body first", () => {
    const body = Buffer.from('{"name":"Zoë"}', "utf8").toString("base64");

    expect(readJsonBody(event({ body, isBase64Encoded: true }))).toEqual({ name: "Zoë" });
  });

  it("accepts a body of exactly the limit", () => {
    const body = `"${"a".repeat(MAX_BODY_BYTES - 2)}"`;

    expect(readJsonBody(event({ body }))).toHaveLength(MAX_BODY_BYTES - 2);
  });

  it.each([
    ["one byte over the limit", `"${"a".repeat(MAX_BODY_BYTES - 1)}"`, false],
    ["over the limit in UTF-8 bytes only", `"${"é".repeat(MAX_BODY_BYTES / 2)}"`, false],
    [
      "over the limit once base64 is decoded",
      Buffer.from(`"${"a".repeat(MAX_BODY_BYTES)}"`).toString("base64"),
      true,
    ],
    ["far over the limit, not even JSON", "x".repeat(MAX_BODY_BYTES * 4), false],
  ])("rejects a body %s with 413", (_case, body, isBase64Encoded) => {
    const error = thrownBy(() => readJsonBody(event({ body, isBase64Encoded })));

    expect(error).toBeInstanceOf(PayloadTooLargeError);
  });

  it("checks the size before the content type", () => {
    const request = event({ body: "x".repeat(MAX_BODY_BYTES + 1), headers: {} });

    expect(thrownBy(() => readJsonBody(request))).toBeInstanceOf(PayloadTooLargeError);
  });

  it.each([
    ["absent", undefined],
    ["empty", ""],
    ["only whitespace", "  \n "],
  ])("rejects a body that is %s as missing", (_case, body) => {
    const error = thrownBy(() => readJsonBody(event(body === undefined ? {} : { body })));

    expect(error).toBeInstanceOf(MalformedRequestError);
    expect((error as MalformedRequestError).code).toBe("missing_body");
  });

  it.each([
    ["text/plain", { "content-type": "text/plain" }],
    ["no content type", {}],
    ["form data", { "content-type": "application/x-www-form-urlencoded" }],
  ])("rejects %s with 415", (_case, headers) => {
    const error = thrownBy(() => readJsonBody(event({ body: "{}", headers })));

    expect(error).toBeInstanceOf(UnsupportedMediaTypeError);
  });

  it.each([
    ["a truncated object", '{"lines": ['],
    ["single quotes", "{'a': 1}"],
    ["a trailing comma", '{"a": 1,}'],
    ["two values", "{} {}"],
    ["NaN", "NaN"],
  ])("rejects %s as malformed JSON", (_case, body) => {
    const error = thrownBy(() => readJsonBody(event({ body })));

    expect(error).toBeInstanceOf(MalformedRequestError);
    expect((error as MalformedRequestError).code).toBe("malformed_json");
  });

  it("rejects base64 that decodes to invalid UTF-8 as malformed", () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString("base64");

    const error = thrownBy(() => readJsonBody(event({ body, isBase64Encoded: true })));

    expect((error as MalformedRequestError).code).toBe("malformed_json");
  });
});

describe("problemResult", () => {
  it("answers a domain error with its status and problem body", () => {
    const lines: string[] = [];
    const logger = createLogger({ service: "test", sink: (line) => lines.push(line) });

    const result = problemResult(new UnsupportedMediaTypeError(), logger);

    expect(result.statusCode).toBe(415);
    expect(result.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(result.body).code).toBe("unsupported_media_type");
    expect(JSON.parse(lines[0] ?? "{}").level).toBe("warn");
  });

  it("answers any other error with 500 and logs it once", () => {
    const lines: string[] = [];
    const logger = createLogger({ service: "test", sink: (line) => lines.push(line) });

    const result = problemResult(new Error("connection reset by 10.0.0.7"), logger);

    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain("10.0.0.7");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "{}").level).toBe("error");
  });
});
