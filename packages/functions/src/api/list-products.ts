import { STORE_CURRENCY } from "@orderflow/core/catalog/currency";
import { listProducts } from "@orderflow/core/catalog/store";
import { apiHandler } from "../shared/handler.ts";
import { jsonResult } from "../shared/http.ts";
import { getStore } from "../shared/resources.ts";

/** GET /products: the catalog with prices and stock. */
export const handler = apiHandler("list-products", async (_event, logger) => {
  const products = await listProducts(getStore());
  logger.info("products.listed", { count: products.length });
  return jsonResult(200, { currency: STORE_CURRENCY, products });
});
