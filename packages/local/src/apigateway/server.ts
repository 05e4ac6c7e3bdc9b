import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { FunctionName } from "../../../../stacks/manifest.ts";
import type { InvokeResult } from "../lambda/runner.ts";
import { listen } from "../listen.ts";
import { applyCors, type CorsConfiguration, isPreflight, preflightResponse } from "./cors.ts";
import { type ApiIdentity, buildEvent, createRequestId, decodePath } from "./event.ts";
import {
  type GatewayResponse,
  internalServerError,
  mapResult,
  notFound,
  payloadTooLarge,
  serviceUnavailable,
} from "./response.ts";
import { compileRoutes, selectRoute } from "./routes.ts";

export type { CorsConfiguration } from "./cors.ts";

/** One request as the emulator logs it: ids, route and outcome, never headers or bodies. */
export interface RequestLogLine {
  requestId: string;
  method: string;
  /** The path without its query string, which may carry personal data. */
  path: string;
  routeKey?: string;
  fn?: FunctionName;
  status: number;
  durationMs: number;
  /**
   * Lambda's error type when the function failed, e.g. `Sandbox.Timedout`, or
   * `ClientClosedRequest` when the client disconnected before sending its whole body.
   */
  errorType?: string;
}

export interface ApiGatewayOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Route keys such as `GET /orders/{orderId}`, each served by one function. */
  routes: Record<string, FunctionName>;
  invoke: (fn: FunctionName, event: APIGatewayProxyEventV2) => Promise<InvokeResult>;
  cors?: CorsConfiguration;
  onRequest?: (line: RequestLogLine) => void;
  /** Milliseconds to wait for a function before returning 503. An HTTP API waits 30 seconds. */
  integrationTimeoutMs?: number;
  /** Maximum request body in bytes. An HTTP API accepts 10 MB. */
  maxBodyBytes?: number;
}

export interface ApiGateway {
  url: string;
  close(): Promise<void>;
}

// An HTTP API stops waiting for an integration after 30 seconds, its maximum and default timeout,
// and returns 503 (https://github.com/serverless/serverless/issues/11222 shows the 503).
const defaultIntegrationTimeoutMs = 30_000;
// NOTE: the HTTP API quota is "10 MB", read here as 10 MiB.
const defaultMaxBodyBytes = 10 * 1024 * 1024;

/** Formats a request log line for a terminal: method, path, status, duration and ids. */
export function formatRequestLine(line: RequestLogLine): string {
  const parts = [
    line.method,
    line.path,
    String(line.status),
    `${Math.round(line.durationMs)}ms`,
    line.fn ?? "-",
    line.requestId,
  ];
  if (line.errorType !== undefined) {
    parts.push(line.errorType);
  }
  return parts.join(" ");
}

type BodyRead =
  | { kind: "read"; body: Buffer }
  | { kind: "too_large" }
  /** The client closed the connection before sending the whole body. */
  | { kind: "closed" };

function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > maxBytes) {
    request.resume();
    return Promise.resolve({ kind: "too_large" });
  }

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
      }
      if (!tooLarge) {
        chunks.push(chunk);
      }
    });
    request.on("end", () =>
      resolve(tooLarge ? { kind: "too_large" } : { kind: "read", body: Buffer.concat(chunks) }),
    );
    // Node reports a connection that ends before the declared body as an "aborted" error.
    request.on("error", () => resolve({ kind: "closed" }));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function write(
  response: ServerResponse,
  gatewayResponse: GatewayResponse,
  requestId: string,
): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of gatewayResponse.headers) {
    const existing = headers[name];
    if (existing === undefined) {
      headers[name] = value;
    } else {
      headers[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
  }
  headers["apigw-requestid"] = requestId;
  headers["content-length"] = String(gatewayResponse.body.length);
  response.writeHead(gatewayResponse.statusCode, headers);
  response.end(gatewayResponse.body);
}

/**
 * Starts the local HTTP API on `host:port`: it turns each request into a payload format 2.0
 * event, invokes the route's function and maps the result back. It returns API Gateway's error
 * responses for unknown routes (404), bodies over the limit (413), failed functions (500) and
 * integrations that outlast the timeout (503).
 */
export async function startApiGateway(options: ApiGatewayOptions): Promise<ApiGateway> {
  const routes = compileRoutes(options.routes);
  const api: ApiIdentity = {
    accountId: "000000000000",
    apiId: randomBytes(5).toString("hex"),
  };
  const integrationTimeoutMs = options.integrationTimeoutMs ?? defaultIntegrationTimeoutMs;
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;

  async function handle(
    request: IncomingMessage,
    requestId: string,
  ): Promise<
    | { gatewayResponse: GatewayResponse; log: Partial<RequestLogLine>; preflight?: boolean }
    | { clientClosed: true }
  > {
    const method = request.method ?? "GET";
    const rawPath = decodePath((request.url ?? "/").split("?")[0] ?? "/");

    const read = await readBody(request, maxBodyBytes);
    if (read.kind === "closed") {
      return { clientClosed: true };
    }
    if (read.kind === "too_large") {
      const gatewayResponse = payloadTooLarge();
      gatewayResponse.headers.push(["connection", "close"]);
      return { gatewayResponse, log: {} };
    }

    if (options.cors !== undefined && isPreflight(method, request.headers)) {
      return {
        gatewayResponse: preflightResponse(options.cors, request.headers),
        log: {},
        preflight: true,
      };
    }

    const route = selectRoute(routes, method, rawPath);
    if (route === undefined) {
      return { gatewayResponse: notFound(), log: {} };
    }

    const now = new Date();
    const event = buildEvent({ request, body: read.body, route, requestId, api, now });
    const log: Partial<RequestLogLine> = { routeKey: route.routeKey, fn: route.target };
    const outcome = await withTimeout(options.invoke(route.target, event), integrationTimeoutMs);
    if (outcome === "timeout") {
      return { gatewayResponse: serviceUnavailable(), log };
    }
    // NOTE: every failed invocation becomes 500 here, Lambda throttles and payload limits included,
    // although API Gateway may map some Lambda service errors to other statuses.
    if (!outcome.ok) {
      return {
        gatewayResponse: internalServerError(),
        log: { ...log, errorType: outcome.error.errorType },
      };
    }
    return { gatewayResponse: mapResult(outcome.payload), log };
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const started = performance.now();
    const requestId = createRequestId();

    const finish = (
      gatewayResponse: GatewayResponse,
      log: Partial<RequestLogLine>,
      preflight = false,
    ) => {
      const final =
        options.cors && !preflight
          ? applyCors(options.cors, request.headers, gatewayResponse)
          : gatewayResponse;
      write(response, final, requestId);
      options.onRequest?.({
        requestId,
        method: request.method ?? "GET",
        path: (request.url ?? "/").split("?")[0] ?? "/",
        ...log,
        status: final.statusCode,
        durationMs: performance.now() - started,
      });
    };

    // No function ran and no response can be sent, so the line gets nginx's 499 "client closed
    // request" rather than a 500 that would count as a server fault.
    const logClientClosed = () =>
      options.onRequest?.({
        requestId,
        method: request.method ?? "GET",
        path: (request.url ?? "/").split("?")[0] ?? "/",
        status: 499,
        durationMs: performance.now() - started,
        errorType: "ClientClosedRequest",
      });

    handle(request, requestId).then(
      (handled) =>
        "clientClosed" in handled
          ? logClientClosed()
          : finish(handled.gatewayResponse, handled.log, handled.preflight),
      (error: unknown) => {
        const errorType = error instanceof Error ? error.name : "Error";
        const message = error instanceof Error ? error.message : String(error);
        console.error(`API Gateway request ${requestId} failed: ${errorType}: ${message}`);
        finish(internalServerError(), { errorType });
      },
    );
  });

  return listen(server, options.port, options.host);
}
