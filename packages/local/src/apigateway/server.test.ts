import { mkdtemp, rm } from "node:fs/promises";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type FunctionName, functions } from "../../../../stacks/manifest.ts";
import { LambdaRunner } from "../lambda/runner.ts";
import {
  type ApiGateway,
  formatRequestLine,
  type RequestLogLine,
  startApiGateway,
} from "./server.ts";

const rootDir = fileURLToPath(new URL("../../../../", import.meta.url));
const http = "Http" as FunctionName;
const webOrigin = "http://localhost:5173";
const integrationTimeoutMs = 500;

interface ReceivedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends one request with raw header lines, so repeated headers stay separate lines. */
function send(
  url: string,
  method: string,
  target: string,
  options: { headers?: [string, string][]; body?: Buffer | string } = {},
): Promise<ReceivedResponse> {
  const host = new URL(url).host;
  const rawHeaders = [["Host", host], ...(options.headers ?? [])].flat();
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}${target}`, { method, headers: rawHeaders }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    request.on("error", reject);
    request.end(options.body);
  });
}

const json = (received: ReceivedResponse) => JSON.parse(received.body.toString("utf8")) as unknown;

describe("startApiGateway", () => {
  const requests: RequestLogLine[] = [];
  let buildDir: string;
  let runner: LambdaRunner;
  let api: ApiGateway;
  let port: number;

  beforeAll(async () => {
    buildDir = await mkdtemp(path.join(tmpdir(), "orderflow-api-"));
    runner = await LambdaRunner.start({
      rootDir,
      buildDir,
      onLog: () => {},
      functions: [
        {
          name: http,
          spec: {
            handler: "packages/local/src/lambda/fixtures/http.handler",
            description: "test fixture http.handler",
            timeout: 3,
            memory: 256,
            link: [],
          },
          environment: {},
        },
      ],
    });
    api = await startApiGateway({
      host: "127.0.0.1",
      port: 0,
      routes: {
        "GET /products": http,
        "POST /orders": http,
        "GET /orders/{orderId}": http,
        "ANY /files/{path+}": http,
      },
      invoke: (fn, event) => runner.invoke(fn, event),
      cors: {
        allowOrigins: [webOrigin],
        allowMethods: ["GET", "POST"],
        allowHeaders: ["Content-Type", "Idempotency-Key"],
        maxAge: 300,
      },
      integrationTimeoutMs,
      onRequest: (line) => requests.push(line),
    });
    port = Number(new URL(api.url).port);
  });

  afterAll(async () => {
    await api?.close();
    await runner?.stop();
    await rm(buildDir, { recursive: true, force: true });
  });

  describe("event", () => {
    let received: ReceivedResponse;
    let event: APIGatewayProxyEventV2;
    let sentAt: number;

    beforeAll(async () => {
      sentAt = Date.now();
      received = await send(api.url, "GET", "/orders/01J%20X?b=3&a=1&a=2", {
        headers: [
          ["User-Agent", "orderflow-test"],
          ["X-Multi", "1"],
          ["X-Multi", "2"],
          ["Cookie", "a=1; b=2"],
          ["Cookie", "c=3"],
        ],
      });
      event = json(received) as APIGatewayProxyEventV2;
    });

    it("has the top-level keys of payload format 2.0", () => {
      expect(received.status).toBe(200);
      expect(Object.keys(event).sort()).toEqual(
        [
          "cookies",
          "headers",
          "isBase64Encoded",
          "pathParameters",
          "queryStringParameters",
          "rawPath",
          "rawQueryString",
          "requestContext",
          "routeKey",
          "version",
        ].sort(),
      );
    });

    it.each<[string, (e: APIGatewayProxyEventV2) => unknown, unknown]>([
      ["version", (e) => e.version, "2.0"],
      ["routeKey", (e) => e.routeKey, "GET /orders/{orderId}"],
      ["rawPath", (e) => e.rawPath, "/orders/01J X"],
      ["rawQueryString", (e) => e.rawQueryString, "b=3&a=1&a=2"],
      ["cookies", (e) => e.cookies, ["a=1", "b=2", "c=3"]],
      ["cookie header", (e) => e.headers.cookie, undefined],
      ["repeated header", (e) => e.headers["x-multi"], "1,2"],
      ["lower-cased header", (e) => e.headers["user-agent"], "orderflow-test"],
      ["x-forwarded-for", (e) => e.headers["x-forwarded-for"], "127.0.0.1"],
      ["x-forwarded-proto", (e) => e.headers["x-forwarded-proto"], "http"],
      ["queryStringParameters", (e) => e.queryStringParameters, { b: "3", a: "1,2" }],
      ["pathParameters", (e) => e.pathParameters, { orderId: "01J X" }],
      ["isBase64Encoded", (e) => e.isBase64Encoded, false],
      ["body", (e) => "body" in e, false],
      ["accountId", (e) => e.requestContext.accountId, "000000000000"],
      ["domainPrefix", (e) => e.requestContext.domainPrefix, "127"],
      [
        "http",
        (e) => e.requestContext.http,
        {
          method: "GET",
          path: "/orders/01J X",
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "orderflow-test",
        },
      ],
      ["context routeKey", (e) => e.requestContext.routeKey, "GET /orders/{orderId}"],
      ["stage", (e) => e.requestContext.stage, "$default"],
    ])("sets %s", (_field, read, expected) => {
      expect(read(event)).toEqual(expected);
    });

    it("identifies the API, host and request", () => {
      expect(event.requestContext.apiId).toMatch(/^[0-9a-f]{10}$/);
      expect(event.requestContext.domainName).toBe(`127.0.0.1:${port}`);
      expect(event.headers["x-forwarded-port"]).toBe(String(port));
      expect(event.headers["x-amzn-trace-id"]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
      expect(event.requestContext.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/);
      expect(received.headers["apigw-requestid"]).toBe(event.requestContext.requestId);
    });

    it("stamps the request time", () => {
      expect(event.requestContext.timeEpoch).toBeGreaterThanOrEqual(sentAt - 1_000);
      expect(event.requestContext.timeEpoch).toBeLessThanOrEqual(Date.now());
      expect(event.requestContext.time).toMatch(
        /^\d{2}\/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/,
      );
    });

    it("leaves out cookies, query and path parameters when absent", async () => {
      // Act
      const plain = json(await send(api.url, "GET", "/products")) as APIGatewayProxyEventV2;

      // Assess
      expect(plain.rawQueryString).toBe("");
      expect("cookies" in plain).toBe(false);
      expect("queryStringParameters" in plain).toBe(false);
      expect("pathParameters" in plain).toBe(false);
    });

    it("passes the rest of the path to a greedy parameter", async () => {
      // Act
      const greedy = json(
        await send(api.url, "DELETE", "/files/a/b/c.txt"),
      ) as APIGatewayProxyEventV2;

      // Assess
      expect(greedy.routeKey).toBe("ANY /files/{path+}");
      expect(greedy.pathParameters).toEqual({ path: "a/b/c.txt" });
    });

    it("keeps headers and query parameters named like Object members", async () => {
      // Act
      const named = json(
        await send(api.url, "GET", "/products?toString=1&__proto__=2&constructor=3", {
          headers: [
            ["Constructor", "c"],
            ["__proto__", "p"],
            ["hasOwnProperty", "h"],
          ],
        }),
      ) as APIGatewayProxyEventV2;

      // Assess
      const headers = named.headers as Record<string, unknown>;
      const query = named.queryStringParameters as Record<string, unknown>;
      expect(Object.getOwnPropertyDescriptor(headers, "constructor")?.value).toBe("c");
      expect(Object.getOwnPropertyDescriptor(headers, "__proto__")?.value).toBe("p");
      expect(Object.getOwnPropertyDescriptor(headers, "hasownproperty")?.value).toBe("h");
      expect(Object.getOwnPropertyDescriptor(query, "toString")?.value).toBe("1");
      expect(Object.getOwnPropertyDescriptor(query, "__proto__")?.value).toBe("2");
      expect(Object.getOwnPropertyDescriptor(query, "constructor")?.value).toBe("3");
    });
  });

  describe("body", () => {
    it.each<[string, boolean, string | undefined]>([
      ["JSON", false, "application/json"],
      ["JSON with charset", false, "application/json; charset=utf-8"],
      ["problem JSON", false, "application/problem+json"],
      ["plain text", false, "text/plain"],
      ["form", true, "application/x-www-form-urlencoded"],
      ["octet stream", true, "application/octet-stream"],
      ["image", true, "image/png"],
      ["no content type", true, undefined],
    ])("passes a %s body with isBase64Encoded %s", async (_label, base64, contentType) => {
      // Prepare
      const body = '{"sku":"MUG-STONE-350","note":"ü"}';
      const headers: [string, string][] =
        contentType === undefined ? [] : [["Content-Type", contentType]];

      // Act
      const event = json(
        await send(api.url, "POST", "/orders", { headers, body }),
      ) as APIGatewayProxyEventV2;

      // Assess
      expect(event.isBase64Encoded).toBe(base64);
      expect(event.body).toBe(base64 ? Buffer.from(body).toString("base64") : body);
    });

    it.each<[string, Buffer]>([
      ["bytes FF FE in a name", Buffer.from('{"name":"Ada\xff\xfeLovelace"}', "latin1")],
      ["a CESU-8 surrogate", Buffer.from('{"name":"Ada\xed\xa0\x80"}', "latin1")],
      ["an overlong slash", Buffer.from('{"name":"Ada\xc0\xaf"}', "latin1")],
      ["a truncated sequence", Buffer.from('{"name":"Ada\xe2\x82"}', "latin1")],
    ])("passes a JSON body with %s base64-encoded", async (_label, body) => {
      // Act
      const event = json(
        await send(api.url, "POST", "/orders", {
          headers: [["Content-Type", "application/json"]],
          body,
        }),
      ) as APIGatewayProxyEventV2;

      // Assess
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body ?? "", "base64")).toEqual(body);
    });

    it("keeps a byte order mark in a text body", async () => {
      // Prepare
      const body = '\uFEFF{"sku":"MUG-STONE-350"}';

      // Act
      const event = json(
        await send(api.url, "POST", "/orders", {
          headers: [["Content-Type", "application/json"]],
          body,
        }),
      ) as APIGatewayProxyEventV2;

      // Assess
      expect(event.isBase64Encoded).toBe(false);
      expect(event.body).toBe(body);
    });

    it("returns 413 for a body over 10 MB", async () => {
      // Prepare
      const body = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);

      // Act
      const received = await send(api.url, "POST", "/orders", {
        headers: [["Content-Type", "application/json"]],
        body,
      });

      // Assess
      expect(received.status).toBe(413);
      expect(json(received)).toEqual({ message: "Request Entity Too Large" });
    });
  });

  describe("response mapping", () => {
    it.each<[string, number, string, string]>([
      ["object", 200, "application/json", '{"sku":"MUG-STONE-350","stock":42}'],
      ["string", 200, "application/json", "plain words"],
      ["invalid", 500, "application/json", '{"message":"Internal Server Error"}'],
      ["throw", 500, "application/json", '{"message":"Internal Server Error"}'],
    ])("maps result kind %s to %i", async (respond, status, contentType, body) => {
      // Act
      const received = await send(api.url, "GET", `/products?respond=${respond}`);

      // Assess
      expect(received.status).toBe(status);
      expect(received.headers["content-type"]).toBe(contentType);
      expect(received.body.toString("utf8")).toBe(body);
    });

    it("maps status, headers and cookies of a structured result", async () => {
      // Act
      const received = await send(api.url, "GET", "/products?respond=cookies");

      // Assess
      expect(received.status).toBe(201);
      expect(received.headers["content-type"]).toBe("text/plain");
      expect(received.headers["x-order"]).toBe("7");
      expect(received.headers["set-cookie"]).toEqual(["session=abc; HttpOnly", "theme=dark"]);
      expect(received.body.toString("utf8")).toBe("created");
    });

    it("decodes a base64 body", async () => {
      // Act
      const received = await send(api.url, "GET", "/products?respond=binary");

      // Assess
      expect(received.headers["content-type"]).toBe("image/png");
      expect([...received.body]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    });

    it.each([
      ["an unknown path", "GET", "/nothing"],
      ["a known path with another method", "DELETE", "/orders"],
    ])("returns 404 for %s", async (_label, method, target) => {
      // Act
      const received = await send(api.url, method, target);

      // Assess
      expect(received.status).toBe(404);
      expect(json(received)).toEqual({ message: "Not Found" });
    });

    it("returns 503 after the integration timeout", async () => {
      // Prepare
      const started = performance.now();

      // Act
      const received = await send(api.url, "GET", "/products?respond=sleep&ms=1500");

      // Assess
      expect(received.status).toBe(503);
      expect(json(received)).toEqual({ message: "Service Unavailable" });
      expect(performance.now() - started).toBeLessThan(1_400);
    });
  });

  describe("CORS", () => {
    it("handles a preflight from an allowed origin", async () => {
      // Act
      const received = await send(api.url, "OPTIONS", "/orders", {
        headers: [
          ["Origin", webOrigin],
          ["Access-Control-Request-Method", "POST"],
          ["Access-Control-Request-Headers", "content-type,idempotency-key"],
        ],
      });

      // Assess
      expect(received.status).toBe(204);
      expect(received.headers["access-control-allow-origin"]).toBe(webOrigin);
      expect(received.headers["access-control-allow-methods"]).toBe("GET,POST");
      expect(received.headers["access-control-allow-headers"]).toBe("content-type,idempotency-key");
      expect(received.headers["access-control-max-age"]).toBe("300");
    });

    it("gives no CORS headers to another origin", async () => {
      // Act
      const received = await send(api.url, "OPTIONS", "/orders", {
        headers: [
          ["Origin", "https://attacker.example"],
          ["Access-Control-Request-Method", "POST"],
        ],
      });

      // Assess
      expect(received.status).toBe(204);
      expect(received.headers["access-control-allow-origin"]).toBeUndefined();
    });

    it("replaces the function's CORS headers with the configured ones", async () => {
      // Act
      const received = await send(api.url, "GET", "/products?respond=cors-headers", {
        headers: [["Origin", webOrigin]],
      });

      // Assess
      expect(received.status).toBe(200);
      expect(received.headers["access-control-allow-origin"]).toBe(webOrigin);
    });

    it("adds no CORS headers to a request without Origin", async () => {
      // Act
      const received = await send(api.url, "GET", "/products?respond=object");

      // Assess
      expect(received.headers["access-control-allow-origin"]).toBeUndefined();
    });
  });

  describe("runner failures", () => {
    it("returns 500 when the runner throws", async () => {
      // Prepare
      const stopped = await LambdaRunner.start({
        rootDir,
        buildDir: path.join(buildDir, "stopped"),
        onLog: () => {},
        functions: [],
      });
      await stopped.stop();
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      const broken = await startApiGateway({
        host: "127.0.0.1",
        port: 0,
        routes: { "GET /products": http },
        invoke: (fn, event) => stopped.invoke(fn, event),
      });

      // Act
      const received = await send(broken.url, "GET", "/products");
      await broken.close();
      const logged = errors.mock.calls.flat();
      errors.mockRestore();

      // Assess
      expect(received.status).toBe(500);
      expect(json(received)).toEqual({ message: "Internal Server Error" });
      expect(logged).toEqual([expect.stringContaining("the Lambda runner is stopped")]);
    });
  });

  describe("request log", () => {
    it("logs one line per request without query or body", async () => {
      // Act
      const received = await send(api.url, "POST", "/orders?email=ada%40example.com", {
        headers: [["Content-Type", "application/json"]],
        body: '{"customer":{"email":"ada@example.com"}}',
      });

      // Assess
      const line = requests.find(
        (entry) => entry.requestId === received.headers["apigw-requestid"],
      );
      expect(line).toMatchObject({
        method: "POST",
        path: "/orders",
        routeKey: "POST /orders",
        fn: "Http",
        status: 200,
      });
      expect(line?.durationMs).toBeGreaterThanOrEqual(0);
      expect(formatRequestLine(line as RequestLogLine)).not.toContain("example.com");
    });

    it("logs a client that closes mid-body as 499, not 500", async () => {
      // Prepare
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      const logged = requests.length;
      const socket = connect(port, "127.0.0.1");
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));

      // Act
      socket.write(
        "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.destroy();
      await vi.waitFor(() => expect(requests.length).toBeGreaterThan(logged));
      const printed = errors.mock.calls.flat();
      errors.mockRestore();

      // Assess
      const line = requests.at(-1);
      expect(line).toMatchObject({ method: "POST", path: "/orders", status: 499 });
      expect(line?.errorType).toBe("ClientClosedRequest");
      expect(line?.fn).toBeUndefined();
      expect(printed).toEqual([]);
    });
  });
});

describe("startApiGateway with the order handler", () => {
  let buildDir: string;
  let runner: LambdaRunner;
  let api: ApiGateway;

  beforeAll(async () => {
    buildDir = await mkdtemp(path.join(tmpdir(), "orderflow-api-orders-"));
    runner = await LambdaRunner.start({
      rootDir,
      buildDir,
      onLog: () => {},
      functions: [{ name: "PlaceOrder", spec: functions.PlaceOrder, environment: {} }],
    });
    api = await startApiGateway({
      host: "127.0.0.1",
      port: 0,
      routes: { "POST /orders": "PlaceOrder" },
      invoke: (fn, event) => runner.invoke(fn, event),
    });
  });

  afterAll(async () => {
    await api?.close();
    await runner?.stop();
    await rm(buildDir, { recursive: true, force: true });
  });

  it("serves a burst of cold starts", async () => {
    // Prepare
    const burstSize = 8;

    // Act
    const received = await Promise.all(
      Array.from({ length: burstSize }, () =>
        send(api.url, "POST", "/orders", {
          headers: [["Content-Type", "application/json"]],
          body: '{"customer":',
        }),
      ),
    );

    // Assess
    expect(received.map((response) => response.status)).toEqual(Array(burstSize).fill(400));
  });

  it.each<[string, Buffer]>([
    ["bytes FF FE", Buffer.from('{"customer":{"name":"Ada\xff\xfeLovelace"}}', "latin1")],
    ["a CESU-8 surrogate", Buffer.from('{"customer":{"name":"Ada\xed\xa0\x80"}}', "latin1")],
  ])("rejects a body with %s as malformed", async (_label, body) => {
    // Act
    const received = await send(api.url, "POST", "/orders", {
      headers: [["Content-Type", "application/json"]],
      body,
    });

    // Assess
    expect(received.status).toBe(400);
    expect(received.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(json(received)).toMatchObject({ code: "malformed_json" });
  });
});
