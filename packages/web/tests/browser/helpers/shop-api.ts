import type { Product } from "@orderflow/core/catalog/products";
import type { OrderRequest } from "@orderflow/core/order/request";
import type { Quote } from "@orderflow/core/pricing/price";

/** Calls the local API from the test process, outside the browser. */
export class ShopApi {
  constructor(private readonly apiUrl: string) {}

  async products(): Promise<Product[]> {
    const response = await fetch(`${this.apiUrl}/products`);
    if (!response.ok) throw new Error(`GET /products failed with ${response.status}`);
    const body = (await response.json()) as { products: Product[] };
    return body.products;
  }

  async stockOf(sku: string): Promise<number> {
    const product = (await this.products()).find((entry) => entry.sku === sku);
    if (product === undefined) throw new Error(`product ${sku} is not in the catalog`);
    return product.stock;
  }

  async quote(request: OrderRequest): Promise<Quote> {
    const response = await fetch(`${this.apiUrl}/quotes`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(request),
    });
    if (response.status !== 200) {
      throw new Error(`POST /quotes failed with ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as Quote;
  }

  async placeOrder(request: OrderRequest): Promise<{ orderId: string }> {
    const response = await fetch(`${this.apiUrl}/orders`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() },
      body: JSON.stringify(request),
    });
    if (response.status !== 201) {
      throw new Error(`POST /orders failed with ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as { orderId: string };
  }

  async order(orderId: string, accessToken: string): Promise<Response> {
    return fetch(`${this.apiUrl}/orders/${orderId}`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
  }

  /** Buys `sku` until only `left` units remain, in orders within the per-line limit. */
  async sellDownTo(sku: string, left: number, maxQuantity: number, buyer: OrderRequest) {
    let stock = await this.stockOf(sku);
    while (stock > left) {
      const quantity = Math.min(stock - left, maxQuantity);
      await this.placeOrder({ ...buyer, lines: [{ sku, quantity }], promotionCode: undefined });
      stock -= quantity;
    }
  }
}
