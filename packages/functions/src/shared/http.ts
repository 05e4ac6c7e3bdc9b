/**
 * The HTTP edge of the API handlers: reading a payload-2.0 event's headers and JSON body, and
 * building structured results. Handlers stay thin by doing all event parsing here.
 */
import {
  DomainError,
  MalformedRequestError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from "@orderflow/core/errors";
import { toProblem } from "@orderflow/core/http/problem";
import { errorFields, type Logger } from "@orderflow/core/logging/logger";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

/**
 * Maximum request body in UTF-8 bytes, checked before parsing. A valid request serialises to at
 * most MAX_ORDER_REQUEST_JSON_BYTES (8 KiB), so the rest leaves room for whitespace and escapes
 * in the raw body. The limit also keeps the workflow input far below Step Functions' 256 KiB.
 */
export const MAX_BODY_BYTES = 32 * 1024;

/** Returns a header's value; API Gateway lower-cases names, the lookup tolerates any case. */
export function header(event: HttpEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  const expected = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === expected && value !== undefined) {
      return value;
    }
  }
  return undefined;
}

/** Checks that a Content-Type is `application/json` or `application/*+json`, in UTF-8 if it names a charset. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) {
    return false;
  }
  const [mediaType = "", ...parameters] = value.split(";").map((part) => part.trim().toLowerCase());
  const json =
    mediaType === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
  if (!json) {
    return false;
  }
  const charset = parameters.find((parameter) => parameter.startsWith("charset="));
  const name = charset?.replace(/^charset="?|"$/g, "");
  return name === undefined || name === "utf-8" || name === "utf8";
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Reads the body as JSON after checking, in this order, its size in UTF-8 bytes (413, before any
 * parsing), its presence (400 `missing_body`), its content type (415) and its syntax
 * (400 `malformed_json`). Decodes base64 bodies first.
 */
export function readJsonBody(event: HttpEvent, maxBytes = MAX_BODY_BYTES): unknown {
  const raw = event.body ?? "";

  let bytes: Buffer;
  if (event.isBase64Encoded) {
    // A base64 text of n characters decodes to at most 3n/4 bytes, so huge bodies are rejected
    // without decoding them.
    if (Math.floor((raw.length * 3) / 4) > maxBytes + 2) {
      throw new PayloadTooLargeError(maxBytes);
    }
    bytes = Buffer.from(raw, "base64");
  } else {
    if (raw.length > maxBytes) {
      throw new PayloadTooLargeError(maxBytes);
    }
    bytes = Buffer.from(raw, "utf8");
  }
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(maxBytes);
  }

  if (bytes.length === 0) {
    throw new MalformedRequestError("missing_body");
  }
  if (!isJsonContentType(header(event, "content-type"))) {
    throw new UnsupportedMediaTypeError();
  }

  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (error) {
    throw new MalformedRequestError("malformed_json", { cause: error });
  }
  if (text.trim().length === 0) {
    throw new MalformedRequestError("missing_body");
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedRequestError("malformed_json", { cause: error });
  }
}

export function jsonResult(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * Converts a thrown value to a problem+json response. Domain errors are the caller's fault, so
 * they are logged as a warning without their details. Anything else is logged once as an error
 * with its stack.
 */
export function problemResult(error: unknown, logger: Logger): HttpResult {
  const problem = toProblem(error);
  if (error instanceof DomainError) {
    logger.warn("request.rejected", { status: problem.status, code: problem.body.code });
  } else {
    logger.error("request.failed", errorFields(error));
  }
  return {
    statusCode: problem.status,
    headers: { ...problem.headers },
    body: JSON.stringify(problem.body),
  };
}
