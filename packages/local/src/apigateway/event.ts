import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { RouteMatch } from "./routes.ts";

/** Identity of the emulated API, shared by every event it builds. */
export interface ApiIdentity {
  accountId: string;
  apiId: string;
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Formats a time as the request context's `time` field does: `04/Dec/2026:10:00:00 +0000`. */
export function formatRequestTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  const day = pad(date.getUTCDate());
  const month = months[date.getUTCMonth()];
  const clock = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(pad).join(":");
  return `${day}/${month}/${date.getUTCFullYear()}:${clock} +0000`;
}

/** Creates an id shaped like API Gateway's request ids: 16 base64 characters. */
export function createRequestId(): string {
  return randomBytes(11).toString("base64");
}

/**
 * Tells whether an HTTP API passes a body of this content type as text. Every other body,
 * including one without a content type, reaches the function base64-encoded.
 * NOTE: AWS does not publish the exact list; this one covers text/*, JSON, XML and JavaScript.
 */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) {
    return false;
  }
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return (
    mediaType.startsWith("text/") ||
    mediaType === "application/json" ||
    mediaType.endsWith("+json") ||
    mediaType === "application/xml" ||
    mediaType.endsWith("+xml") ||
    mediaType === "application/javascript"
  );
}

// `ignoreBOM` keeps a leading byte order mark in the text, as the function would receive it.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes a body as UTF-8, or returns undefined when its bytes are not valid UTF-8. */
export function decodeUtf8(body: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(body);
  } catch {
    return undefined;
  }
}

// Connection-level headers end at API Gateway, which opens its own connection to the integration.
const hopByHopHeaders = new Set(["connection", "keep-alive", "proxy-connection", "upgrade"]);

/**
 * Percent-decodes a request path as an HTTP API does before routing, `%2F` included; a path with
 * an invalid escape stays as it came.
 * NOTE: AWS documents no decoding. It is reported from captures of deployed HTTP APIs in
 * https://github.com/middleapi/standard-server/pull/93 and https://github.com/Worklytics/psoxy/pull/827,
 * while REST APIs and function URLs keep the path encoded.
 */
export function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function sourceIpOf(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}

/** Creates an AWS X-Ray trace header value, which API Gateway adds to every request. */
function traceId(now: Date): string {
  const epochSeconds = Math.floor(now.getTime() / 1000).toString(16);
  return `Root=1-${epochSeconds}-${randomBytes(12).toString("hex")}`;
}

/**
 * Builds the payload format 2.0 event for one request. Header names are lower-cased, repeated
 * headers and query parameters are joined by commas, and cookies move from the `cookie` header
 * into `cookies`. The keys `cookies`, `queryStringParameters`, `pathParameters` and `body` are left
 * out when the request has none.
 */
export function buildEvent(options: {
  request: IncomingMessage;
  body: Buffer;
  route: RouteMatch<unknown>;
  requestId: string;
  api: ApiIdentity;
  now: Date;
}): APIGatewayProxyEventV2 {
  const { request, body, route, requestId, api, now } = options;
  const url = request.url ?? "/";
  const queryStart = url.indexOf("?");
  const rawPath = decodePath(queryStart >= 0 ? url.slice(0, queryStart) : url);
  const rawQueryString = queryStart >= 0 ? url.slice(queryStart + 1) : "";
  const sourceIp = sourceIpOf(request);

  // The values are collected in Maps because, in an object literal, a name such as `constructor`
  // or `__proto__` would read or set a member of Object.prototype instead of a header.
  const headerValues = new Map<string, string>();
  const cookies: string[] = [];
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = (request.rawHeaders[index] as string).toLowerCase();
    const value = request.rawHeaders[index + 1] as string;
    if (hopByHopHeaders.has(name)) {
      continue;
    }
    if (name === "cookie") {
      cookies.push(
        ...value
          .split(";")
          .map((cookie) => cookie.trim())
          .filter((cookie) => cookie !== ""),
      );
      continue;
    }
    const previous = headerValues.get(name);
    headerValues.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  const headers: Record<string, string> = Object.fromEntries(headerValues);

  // API Gateway adds the forwarding headers and a trace id before it calls the integration.
  const forwardedFor = headers["x-forwarded-for"];
  headers["x-forwarded-for"] = forwardedFor ? `${forwardedFor}, ${sourceIp}` : sourceIp;
  headers["x-forwarded-port"] = String(request.socket.localPort ?? "");
  headers["x-forwarded-proto"] = "http";
  headers["x-amzn-trace-id"] ??= traceId(now);

  const queryValues = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const previous = queryValues.get(name);
    queryValues.set(name, previous === undefined ? value : `${previous},${value}`);
  }
  const queryStringParameters: Record<string, string> = Object.fromEntries(queryValues);

  const host = headers.host ?? "localhost";
  const domainName = host;
  const domainPrefix = host.split(":")[0]?.split(".")[0] ?? host;

  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
    requestContext: {
      accountId: api.accountId,
      apiId: api.apiId,
      domainName,
      domainPrefix,
      http: {
        method: request.method ?? "GET",
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId,
      routeKey: route.routeKey,
      stage: "$default",
      time: formatRequestTime(now),
      timeEpoch: now.getTime(),
    },
    ...(route.pathParameters === undefined ? {} : { pathParameters: route.pathParameters }),
    isBase64Encoded: false,
  };

  // A text body that is not valid UTF-8 is passed base64-encoded, so that the function receives its
  // exact bytes instead of U+FFFD replacements and can reject it as malformed.
  // NOTE: AWS does not document what an HTTP API passes for such a body.
  if (body.length > 0) {
    const text = isTextContentType(headers["content-type"]) ? decodeUtf8(body) : undefined;
    event.body = text ?? body.toString("base64");
    event.isBase64Encoded = text === undefined;
  }
  return event;
}
