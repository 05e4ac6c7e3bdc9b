import { describe, expect, it } from "vitest";
import { type CorsConfiguration, preflightResponse } from "./cors.ts";

function allowOriginFor(cors: CorsConfiguration, origin: string): string | undefined {
  const response = preflightResponse(cors, { origin, "access-control-request-method": "POST" });
  return response.headers.find(([name]) => name === "access-control-allow-origin")?.[1];
}

const base = { allowMethods: ["POST"], allowHeaders: ["content-type"] };

describe("preflightResponse", () => {
  it.each<[string, string[], string, string | undefined]>([
    ["exact origin", ["http://localhost:5173"], "http://localhost:5173", "http://localhost:5173"],
    ["other port", ["http://localhost:5173"], "http://localhost:5174", undefined],
    ["any origin", ["*"], "https://shop.example", "*"],
    ["https wildcard", ["https://*"], "https://shop.example", "https://shop.example"],
    ["https wildcard over http", ["https://*"], "http://shop.example", undefined],
  ])("allows %s as configured", (_label, allowOrigins, origin, expected) => {
    // Act
    const allowed = allowOriginFor({ ...base, allowOrigins }, origin);

    // Assess
    expect(allowed).toBe(expected);
  });

  it("echoes the origin when credentials are allowed", () => {
    // Act
    const allowed = allowOriginFor(
      { ...base, allowOrigins: ["*"], allowCredentials: true },
      "https://shop.example",
    );

    // Assess
    expect(allowed).toBe("https://shop.example");
  });

  it("echoes requested method and headers for wildcards", () => {
    // Act
    const response = preflightResponse(
      { allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"] },
      {
        origin: "https://shop.example",
        "access-control-request-method": "DELETE",
        "access-control-request-headers": "x-custom",
      },
    );

    // Assess
    expect(response.statusCode).toBe(204);
    expect(response.headers).toContainEqual(["access-control-allow-methods", "DELETE"]);
    expect(response.headers).toContainEqual(["access-control-allow-headers", "x-custom"]);
  });
});
