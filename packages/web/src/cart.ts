import type { CatalogProduct } from "./api.ts";

export interface CartLine {
  product: CatalogProduct;
  quantity: number;
  lineSubtotal: number;
}

export interface CartLimits {
  /** Maximum number of distinct products in one order. */
  maxLines: number;
  /** Maximum units of one product per line. */
  maxQuantity: number;
}

export type AddResult = "added" | "sold_out" | "at_max_quantity" | "at_max_lines";

/**
 * The shopper's cart: quantities by SKU, kept within the order limits and the stock last seen.
 * Lines keep the order in which products were first added.
 */
export class Cart {
  private readonly quantities = new Map<string, number>();

  constructor(private readonly limits: CartLimits) {}

  get isEmpty(): boolean {
    return this.quantities.size === 0;
  }

  get itemCount(): number {
    let count = 0;
    for (const quantity of this.quantities.values()) {
      count += quantity;
    }
    return count;
  }

  quantityOf(sku: string): number {
    return this.quantities.get(sku) ?? 0;
  }

  /** Maximum quantity allowed for one product: its stock, capped by the per-line limit. */
  maxQuantityFor(product: CatalogProduct): number {
    return Math.max(0, Math.min(product.stock, this.limits.maxQuantity));
  }

  add(product: CatalogProduct): AddResult {
    const current = this.quantityOf(product.sku);
    if (product.stock <= 0) {
      return "sold_out";
    }
    if (current === 0 && this.quantities.size >= this.limits.maxLines) {
      return "at_max_lines";
    }
    if (current >= this.maxQuantityFor(product)) {
      return "at_max_quantity";
    }

    this.quantities.set(product.sku, current + 1);
    return "added";
  }

  /** Sets a line's quantity, clamped to 1..max, and returns the quantity stored. */
  setQuantity(product: CatalogProduct, quantity: number): number {
    if (!this.quantities.has(product.sku)) {
      return 0;
    }

    const max = this.maxQuantityFor(product);
    const clamped = Math.min(Math.max(1, Math.trunc(quantity)), Math.max(1, max));
    this.quantities.set(product.sku, clamped);
    return clamped;
  }

  remove(sku: string): void {
    this.quantities.delete(sku);
  }

  clear(): void {
    this.quantities.clear();
  }

  /** Prices the cart's lines from `products`, skipping SKUs missing from the catalog. */
  lines(products: ReadonlyMap<string, CatalogProduct>): CartLine[] {
    const lines: CartLine[] = [];
    for (const [sku, quantity] of this.quantities) {
      const product = products.get(sku);
      if (product === undefined) {
        continue;
      }
      lines.push({ product, quantity, lineSubtotal: product.unitPrice * quantity });
    }
    return lines;
  }

  subtotal(products: ReadonlyMap<string, CatalogProduct>): number {
    return this.lines(products).reduce((sum, line) => sum + line.lineSubtotal, 0);
  }

  /** Returns the SKU and quantity pairs, in cart order, for saving the cart. */
  entries(): [string, number][] {
    return [...this.quantities];
  }

  /**
   * Refills an empty cart from saved pairs, dropping SKUs that left the catalog or sold out and
   * lowering quantities to what may be ordered now. Returns how many lines were restored.
   */
  restore(
    entries: readonly [string, number][],
    products: ReadonlyMap<string, CatalogProduct>,
  ): number {
    for (const [sku, quantity] of entries) {
      const product = products.get(sku);
      const max = product === undefined ? 0 : this.maxQuantityFor(product);
      if (max === 0 || this.quantities.size >= this.limits.maxLines) continue;
      if (!Number.isSafeInteger(quantity) || quantity < 1) continue;

      this.quantities.set(sku, Math.min(quantity, max));
    }
    return this.quantities.size;
  }

  /** Returns the `lines` member of an order request. */
  requestLines(): { sku: string; quantity: number }[] {
    return [...this.quantities].map(([sku, quantity]) => ({ sku, quantity }));
  }
}
