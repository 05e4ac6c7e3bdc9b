import { describe, expect, it } from "vitest";
import { STORE_CURRENCY } from "./currency.ts";
import { Product, seedProducts } from "./products.ts";

describe("seedProducts", () => {
  it("offers at least 12 products", () => {
    expect(seedProducts.length).toBeGreaterThanOrEqual(12);
  });

  it("gives every product a unique SKU", () => {
    const skus = seedProducts.map((product) => product.sku);

    expect(new Set(skus).size).toBe(skus.length);
  });

  it.each(seedProducts.map((product) => [product.sku, product]))(
    "%s matches the schema",
    (_sku, product) => {
      expect(Product.parse(product)).toEqual(product);
      expect(product.unitPrice).toBeGreaterThan(0);
      expect(product.description.length).toBeGreaterThan(0);
    },
  );

  it("includes a sold-out product and one with little stock", () => {
    const stocks = seedProducts.map((product) => product.stock);

    expect(stocks).toContain(0);
    expect(stocks.some((stock) => stock > 0 && stock <= 3)).toBe(true);
  });

  it("includes the product of the documented example", () => {
    expect(seedProducts.find((product) => product.sku === "MUG-STONE-350")?.unitPrice).toBe(1490);
  });

  it("cannot be changed at run time", () => {
    expect(Object.isFrozen(seedProducts)).toBe(true);
    expect(seedProducts.every((product) => Object.isFrozen(product))).toBe(true);
  });
});

describe("Product schema", () => {
  const valid = { sku: "MUG-1", name: "Mug", description: "", unitPrice: 100, stock: 1 };

  it.each([
    ["a negative stock", { stock: -1 }],
    ["a fractional price", { unitPrice: 9.99 }],
    ["a price as a string", { unitPrice: "100" }],
    ["a lower-case SKU", { sku: "mug-1" }],
    ["an unknown field", { currency: "EUR" }],
  ])("rejects %s", (_label, override) => {
    expect(Product.safeParse({ ...valid, ...override }).success).toBe(false);
  });

  it("prices in euro", () => {
    expect(STORE_CURRENCY).toBe("EUR");
  });
});
