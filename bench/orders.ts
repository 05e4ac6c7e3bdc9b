/**
 * The orders the benchmark places, in both the ceiling and the end-to-end phases, and the
 * products they buy. The products are separate from the demo catalog and carry enough stock
 * for every order of a run, so no phase measures out-of-stock responses.
 */

export const BENCH_CURRENCY = "EUR";

/** Stock given to each bench product; a full run places a few thousand orders. */
export const BENCH_STOCK = 10_000_000;

export interface BenchProduct {
  sku: string;
  name: string;
  description: string;
  unitPrice: number;
}

/**
 * Sixteen products, so that concurrent orders mostly decrement different stock items, as a shop
 * with a real catalog would, instead of all conflicting on one item.
 */
export const BENCH_PRODUCTS: readonly BenchProduct[] = Array.from({ length: 16 }, (_, index) => {
  const number = String(index + 1).padStart(2, "0");
  return {
    sku: `BENCH-ITEM-${number}`,
    name: `Benchmark item ${number}`,
    description: "Product used only by pnpm bench",
    unitPrice: 990 + index * 100,
  };
});

export interface BenchOrderRequest {
  customer: { name: string; email: string };
  shippingAddress: { line1: string; city: string; postalCode: string; country: string };
  lines: { sku: string; quantity: number }[];
}

/** Returns the n-th order of a run: two lines of different products, one unit each. */
export function benchOrder(n: number): BenchOrderRequest {
  const first = BENCH_PRODUCTS[n % BENCH_PRODUCTS.length] as BenchProduct;
  const second = BENCH_PRODUCTS[(n + 7) % BENCH_PRODUCTS.length] as BenchProduct;
  return {
    customer: { name: "Bench Shopper", email: `shopper-${n}@example.com` },
    shippingAddress: {
      line1: "1 Benchmark Street",
      city: "Berlin",
      postalCode: "10115",
      country: "DE",
    },
    lines: [
      { sku: first.sku, quantity: 1 },
      { sku: second.sku, quantity: 1 },
    ],
  };
}
