import { priceRequest } from "@orderflow/core/order/checkout";
import { parseOrderRequest } from "@orderflow/core/order/request";
import { apiHandler } from "../shared/handler.ts";
import { jsonResult, readJsonBody } from "../shared/http.ts";
import { getStore } from "../shared/resources.ts";

/** POST /quotes: prices a cart exactly as an order would be priced, and writes nothing. */
export const handler = apiHandler("quote-order", async (event, logger) => {
  const request = parseOrderRequest(readJsonBody(event));

  const quote = await priceRequest(getStore(), request, new Date());

  logger.info("order.quoted", { lines: quote.lines.length, total: quote.totals.total });
  return jsonResult(200, quote);
});
