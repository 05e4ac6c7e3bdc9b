import type { IncomingHttpHeaders } from "node:http";
import type { GatewayResponse } from "./response.ts";

/**
 * The CORS configuration of an HTTP API, with the field names of its `corsConfiguration`. When it
 * is set, the API responds to preflights itself and ignores CORS headers from the integration.
 */
export interface CorsConfiguration {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders?: string[];
  allowCredentials?: boolean;
  /** Seconds a browser may cache a preflight response. */
  maxAge?: number;
}

function allowedOrigin(cors: CorsConfiguration, origin: string | undefined): string | undefined {
  if (origin === undefined) {
    return undefined;
  }
  if (cors.allowOrigins.includes("*")) {
    return cors.allowCredentials ? origin : "*";
  }

  // Besides exact origins and "*", an HTTP API accepts a scheme wildcard such as "https://*"
  // (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html).
  const allowed = cors.allowOrigins.some((pattern) =>
    pattern.endsWith("://*") ? origin.startsWith(pattern.slice(0, -1)) : pattern === origin,
  );
  return allowed ? origin : undefined;
}

/** Tells whether a request is a CORS preflight: OPTIONS with Origin and the requested method. */
export function isPreflight(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  return (
    method === "OPTIONS" &&
    headers.origin !== undefined &&
    headers["access-control-request-method"] !== undefined
  );
}

/**
 * Responds to a preflight as an HTTP API with CORS configured does, without calling any function
 * and whether or not an OPTIONS route exists. An origin that is not allowed gets no CORS headers,
 * so the browser blocks the request that follows.
 */
export function preflightResponse(
  cors: CorsConfiguration,
  headers: IncomingHttpHeaders,
): GatewayResponse {
  const response: GatewayResponse = { statusCode: 204, headers: [], body: Buffer.alloc(0) };
  const origin = allowedOrigin(cors, headers.origin);
  if (origin === undefined) {
    return response;
  }

  const requestedMethod = headers["access-control-request-method"] ?? "";
  const requestedHeaders = headers["access-control-request-headers"] ?? "";
  const methods = cors.allowMethods.includes("*") ? requestedMethod : cors.allowMethods.join(",");
  const allowHeaders = cors.allowHeaders.includes("*")
    ? requestedHeaders
    : cors.allowHeaders.join(",").toLowerCase();

  response.headers.push(["access-control-allow-origin", origin]);
  response.headers.push(["access-control-allow-methods", methods]);
  if (allowHeaders !== "") {
    response.headers.push(["access-control-allow-headers", allowHeaders]);
  }
  if (cors.allowCredentials) {
    response.headers.push(["access-control-allow-credentials", "true"]);
  }
  if (cors.maxAge !== undefined) {
    response.headers.push(["access-control-max-age", String(cors.maxAge)]);
  }
  if (origin !== "*") {
    response.headers.push(["vary", "origin"]);
  }
  return response;
}

/**
 * Replaces the CORS headers of a response with the configured ones. With CORS configured, an HTTP
 * API ignores the CORS headers the integration returns.
 */
export function applyCors(
  cors: CorsConfiguration,
  requestHeaders: IncomingHttpHeaders,
  response: GatewayResponse,
): GatewayResponse {
  const headers = response.headers.filter(([name]) => !name.startsWith("access-control-"));
  const origin = allowedOrigin(cors, requestHeaders.origin);
  if (origin !== undefined) {
    headers.push(["access-control-allow-origin", origin]);
    if (cors.allowCredentials) {
      headers.push(["access-control-allow-credentials", "true"]);
    }
    if (cors.exposeHeaders !== undefined && cors.exposeHeaders.length > 0) {
      headers.push(["access-control-expose-headers", cors.exposeHeaders.join(",")]);
    }
    if (origin !== "*") {
      headers.push(["vary", "origin"]);
    }
  }
  return { ...response, headers };
}
