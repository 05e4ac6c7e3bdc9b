import { describe, expect, it } from "vitest";
import { compileRoutes, selectRoute } from "./routes.ts";

const routes = compileRoutes({
  "GET /products": "list",
  "GET /orders/{orderId}": "get",
  "GET /orders/latest": "latest",
  "POST /orders": "place",
  "ANY /orders/{orderId}": "any-order",
  "GET /files/{path+}": "files",
  "GET /": "root",
  $default: "fallback",
});

describe("selectRoute", () => {
  it.each([
    ["GET", "/products", "GET /products", undefined],
    ["GET", "/products/", "GET /products", undefined],
    ["GET", "/", "GET /", undefined],
    ["GET", "/orders/latest", "GET /orders/latest", undefined],
    ["GET", "/orders/01JEXAMPLE", "GET /orders/{orderId}", { orderId: "01JEXAMPLE" }],
    ["GET", "/orders/01J X", "GET /orders/{orderId}", { orderId: "01J X" }],
    ["PUT", "/orders/01JEXAMPLE", "ANY /orders/{orderId}", { orderId: "01JEXAMPLE" }],
    ["GET", "/files/a/b.txt", "GET /files/{path+}", { path: "a/b.txt" }],
    ["POST", "/orders", "POST /orders", undefined],
    ["DELETE", "/anything/else", "$default", undefined],
  ])("routes %s %s to %s", (method, rawPath, routeKey, pathParameters) => {
    // Act
    const match = selectRoute(routes, method, rawPath);

    // Assess
    expect(match?.routeKey).toBe(routeKey);
    expect(match?.pathParameters).toEqual(pathParameters);
  });

  it.each([
    ["GET", "/files"],
    ["DELETE", "/orders"],
    ["GET", "/orders/a/b"],
  ])("matches nothing for %s %s without $default", (method, rawPath) => {
    // Prepare
    const withoutDefault = routes.filter((route) => route.key !== "$default");

    // Act
    const match = selectRoute(withoutDefault, method, rawPath);

    // Assess
    expect(match).toBeUndefined();
  });
});

describe("compileRoutes", () => {
  it.each([
    ["get /orders", /expected "METHOD \/path"/],
    ["GET orders", /expected "METHOD \/path"/],
    ["GET /files/{path+}/more", /greedy parameter must be the last segment/],
    ["GET /orders/{orderId", /malformed path parameter/],
  ])("rejects %s", (key, message) => {
    // Act
    const compile = () => compileRoutes({ [key]: "x" });

    // Assess
    expect(compile).toThrow(message);
  });
});
