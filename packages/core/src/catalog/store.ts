/**
 * Reads the catalog from the table: products with their current prices and stock.
 */
import type { Store } from "../db/table.ts";
import { UnknownProductError } from "../errors/domain-errors.ts";
import type { Product } from "./products.ts";

/** DynamoDB's BatchGetItem limit; ElectroDB splits larger batches into calls of this size. */
const productsPerPage = 100;

function toProduct(item: {
  sku: string;
  name: string;
  description: string;
  unitPrice: number;
  stock: number;
}): Product {
  return {
    sku: item.sku,
    name: item.name,
    description: item.description,
    unitPrice: item.unitPrice,
    stock: item.stock,
  };
}

/** Lists every product, sorted by SKU, from the catalog index. */
export async function listProducts(store: Store): Promise<Product[]> {
  const result = await store.product.query.catalog({}).go({ pages: "all" });
  const products = result.data.map(toProduct);
  products.sort((a, b) => {
    if (a.sku < b.sku) {
      return -1;
    }
    return a.sku > b.sku ? 1 : 0;
  });
  return products;
}

/**
 * Reads the products with these SKUs, keyed by SKU. Throws UnknownProductError naming every SKU
 * that is not in the catalog.
 */
export async function getProducts(
  store: Store,
  skus: readonly string[],
  options: { consistent?: boolean } = {},
): Promise<Map<string, Product>> {
  const unique = [...new Set(skus)];
  const found = new Map<string, Product>();

  for (let start = 0; start < unique.length; start += productsPerPage) {
    const keys = unique.slice(start, start + productsPerPage).map((sku) => ({ sku }));
    const result = await store.product.get(keys).go({ consistent: options.consistent ?? false });
    for (const item of result.data) {
      found.set(item.sku, toProduct(item));
    }
    if (result.unprocessed.length > 0) {
      // NOTE: unprocessed keys are rare at this size; treating them as a server fault keeps
      // them from being reported as unknown products.
      throw new Error(`DynamoDB left ${result.unprocessed.length} product reads unprocessed`);
    }
  }

  const missing = unique.filter((sku) => !found.has(sku));
  if (missing.length > 0) {
    throw new UnknownProductError(missing);
  }
  return found;
}
