/**
 * The read-only part of placing an order, shared by `POST /quotes` and the workflow's Validate and
 * Price steps: check the request against the schema and the catalog, then price it from the
 * catalog's current prices.
 */
import { getProducts } from "../catalog/store.ts";
import type { Store } from "../db/table.ts";
import { InvalidPromotionError } from "../errors/domain-errors.ts";
import { priceOrder, type Quote } from "../pricing/price.ts";
import { findSeedPromotion, type Promotion } from "../promotion/promotion.ts";
import { type OrderRequest, parseOrderRequest } from "./request.ts";

/**
 * Parses the request and checks that every SKU is in the catalog. Throws ValidationError or
 * UnknownProductError.
 */
export async function validateOrder(store: Store, input: unknown): Promise<OrderRequest> {
  const request = parseOrderRequest(input);
  await getProducts(
    store,
    request.lines.map((line) => line.sku),
  );
  return request;
}

/** Returns the promotion with this code; throws InvalidPromotionError when there is none. */
export function findPromotion(code: string): Promotion {
  const promotion = findSeedPromotion(code);
  if (promotion === undefined) {
    throw new InvalidPromotionError(code, "unknown");
  }
  return promotion;
}

/** Orders that used the code so far, as counted by the order transactions. */
export async function readRedemptions(store: Store, code: string): Promise<number> {
  const result = await store.promotionRedemption.get({ code }).go();
  return result.data?.redemptions ?? 0;
}

/**
 * Prices a valid request from the catalog's current prices, at time `now` for the promotion's
 * validity window. Throws UnknownProductError or InvalidPromotionError.
 */
export async function priceRequest(store: Store, request: OrderRequest, now: Date): Promise<Quote> {
  const products = await getProducts(
    store,
    request.lines.map((line) => line.sku),
  );

  const promotion =
    request.promotionCode === undefined ? undefined : findPromotion(request.promotionCode);
  const promotionRedemptions =
    promotion?.maxRedemptions === undefined
      ? undefined
      : await readRedemptions(store, promotion.code);

  const lines = request.lines.map((line) => {
    // getProducts throws for a missing SKU, so every line has its product.
    const product = products.get(line.sku) as NonNullable<ReturnType<typeof products.get>>;
    return {
      sku: line.sku,
      name: product.name,
      quantity: line.quantity,
      unitPrice: product.unitPrice,
    };
  });

  return priceOrder({
    lines,
    country: request.shippingAddress.country,
    promotion,
    promotionRedemptions,
    now,
  });
}
