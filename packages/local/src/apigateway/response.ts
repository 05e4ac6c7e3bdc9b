/** An HTTP response before it is written: status, headers (repeatable) and body bytes. */
export interface GatewayResponse {
  statusCode: number;
  headers: [name: string, value: string][];
  body: Buffer;
}

/** Creates a response with a JSON `{"message": ...}` body, the shape of API Gateway's own errors. */
export function gatewayError(statusCode: number, message: string): GatewayResponse {
  return {
    statusCode,
    headers: [["content-type", "application/json"]],
    body: Buffer.from(JSON.stringify({ message })),
  };
}

export const notFound = () => gatewayError(404, "Not Found");
export const internalServerError = () => gatewayError(500, "Internal Server Error");
export const serviceUnavailable = () => gatewayError(503, "Service Unavailable");
export const payloadTooLarge = () => gatewayError(413, "Request Entity Too Large");

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Maps a function's result to the HTTP response as payload format 2.0 does. An object with a
 * `statusCode` is a structured response: its headers, `cookies` (one `set-cookie` each) and body,
 * base64-decoded when `isBase64Encoded` is true. Any other result becomes a 200 JSON response whose
 * body is the result serialized as JSON, or the string itself for a string result. A structured
 * response that breaks the format gets API Gateway's 500.
 */
export function mapResult(result: unknown): GatewayResponse {
  if (!isRecord(result) || !("statusCode" in result)) {
    const body = typeof result === "string" ? result : JSON.stringify(result ?? null);
    return {
      statusCode: 200,
      headers: [["content-type", "application/json"]],
      body: Buffer.from(body),
    };
  }

  const { statusCode, headers, cookies, body, isBase64Encoded } = result;
  const validStatus =
    typeof statusCode === "number" &&
    Number.isInteger(statusCode) &&
    statusCode >= 100 &&
    statusCode <= 599;
  const validHeaders =
    headers === undefined ||
    (isRecord(headers) &&
      Object.values(headers).every((value) =>
        ["string", "number", "boolean"].includes(typeof value),
      ));
  const validCookies =
    cookies === undefined ||
    (Array.isArray(cookies) && cookies.every((cookie) => typeof cookie === "string"));
  const validBody = body === undefined || body === null || typeof body === "string";
  if (!validStatus || !validHeaders || !validCookies || !validBody) {
    return internalServerError();
  }

  const responseHeaders: [string, string][] = Object.entries(headers ?? {}).map(([name, value]) => [
    name.toLowerCase(),
    String(value),
  ]);
  for (const cookie of (cookies as string[] | undefined) ?? []) {
    responseHeaders.push(["set-cookie", cookie]);
  }
  const text = typeof body === "string" ? body : "";
  return {
    statusCode: statusCode as number,
    headers: responseHeaders,
    body: isBase64Encoded === true ? Buffer.from(text, "base64") : Buffer.from(text),
  };
}
