import { describe, expect, it } from "vitest";
import type { CatalogProduct } from "./api.ts";
import { Cart } from "./cart.ts";

const mug: CatalogProduct = {
  sku: "MUG-STONE-350",
  name: "Stoneware mug",
  description: "350 ml",
  unitPrice: 1490,
  stock: 3,
};
const tea: CatalogProduct = {
  sku: "TEA-SENCHA-100",
  name: "Sencha green tea",
  description: "100 g",
  unitPrice: 1150,
  stock: 200,
};
const teapot: CatalogProduct = {
  sku: "TEAPOT-CAST-800",
  name: "Cast iron teapot",
  description: "800 ml",
  unitPrice: 6490,
  stock: 0,
};
const catalog = new Map([mug, tea, teapot].map((product) => [product.sku, product]));

describe("Cart", () => {
  it("adds units up to the stock", () => {
    const cart = new Cart({ maxLines: 10, maxQuantity: 99 });

    const results = [1, 2, 3, 4].map(() => cart.add(mug));

    expect(results).toEqual(["added", "added", "added", "at_max_quantity"]);
    expect(cart.quantityOf(mug.sku)).toBe(3);
  });

  it("caps a line at the per-line limit below the stock", () => {
    const cart = new Cart({ maxLines: 10, maxQuantity: 2 });

    cart.add(tea);
    cart.add(tea);
    const third = cart.add(tea);

    expect(third).toBe("at_max_quantity");
    expect(cart.maxQuantityFor(tea)).toBe(2);
  });

  it("rejects a sold-out product", () => {
    const cart = new Cart({ maxLines: 10, maxQuantity: 99 });

    expect(cart.add(teapot)).toBe("sold_out");
    expect(cart.isEmpty).toBe(true);
  });

  it("rejects a new line beyond the line limit", () => {
    const cart = new Cart({ maxLines: 1, maxQuantity: 99 });
    cart.add(mug);

    expect(cart.add(tea)).toBe("at_max_lines");
    expect(cart.add(mug)).toBe("added");
  });

  it.each([
    [0, 1],
    [-4, 1],
    [2.7, 2],
    [3, 3],
    [50, 3],
  ])("clamps a typed quantity of %d to %d", (typed, kept) => {
    const cart = new Cart({ maxLines: 10, maxQuantity: 99 });
    cart.add(mug);

    expect(cart.setQuantity(mug, typed)).toBe(kept);
    expect(cart.quantityOf(mug.sku)).toBe(kept);
  });

  it("keeps lines in the order they were added, with integer subtotals", () => {
    const cart = new Cart({ maxLines: 10, maxQuantity: 99 });
    cart.add(tea);
    cart.add(mug);
    cart.add(mug);

    const lines = cart.lines(catalog);

    expect(lines.map((line) => [line.product.sku, line.quantity, line.lineSubtotal])).toEqual([
      [tea.sku, 1, 1150],
      [mug.sku, 2, 2980],
    ]);
    expect(cart.subtotal(catalog)).toBe(4130);
    expect(cart.itemCount).toBe(3);
    expect(cart.requestLines()).toEqual([
      { sku: tea.sku, quantity: 1 },
      { sku: mug.sku, quantity: 2 },
    ]);
  });

  it("removes a line and ignores quantity changes to it", () => {
    const cart = new Cart({ maxLines: 10, maxQuantity: 99 });
    cart.add(mug);

    cart.remove(mug.sku);

    expect(cart.setQuantity(mug, 2)).toBe(0);
    expect(cart.isEmpty).toBe(true);
  });
});

describe("Cart.restore", () => {
  it("refills saved lines within today's stock and limits", () => {
    const cart = new Cart({ maxLines: 2, maxQuantity: 99 });

    const restored = cart.restore(
      [
        [mug.sku, 5],
        ["GONE-FROM-CATALOG", 1],
        [teapot.sku, 1],
        [tea.sku, 0],
        [tea.sku, 2],
      ],
      catalog,
    );

    expect(restored).toBe(2);
    expect(cart.entries()).toEqual([
      [mug.sku, 3],
      [tea.sku, 2],
    ]);
  });
});
