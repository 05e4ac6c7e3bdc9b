import { OrderNotFoundError } from "@orderflow/core/errors";
import { accessTokenMatches, bearerToken } from "@orderflow/core/order/access-token";
import { orderFromItem } from "@orderflow/core/order/order";
import { isOrderId } from "@orderflow/core/order/order-id";
import { apiHandler } from "../shared/handler.ts";
import { header, jsonResult } from "../shared/http.ts";
import { getStore } from "../shared/resources.ts";

/**
 * GET /orders/{orderId}: the order, for the holder of its access token. An unknown order, a
 * missing token and a wrong token all get the same 404, so the response reveals nothing.
 */
export const handler = apiHandler("get-order", async (event, logger) => {
  const orderId = event.pathParameters?.orderId;
  const token = bearerToken(header(event, "authorization"));
  if (orderId === undefined || !isOrderId(orderId) || token === undefined) {
    throw new OrderNotFoundError();
  }
  const log = logger.child({ orderId });

  const item = (await getStore().order.get({ orderId }).go()).data;
  if (item === null || !accessTokenMatches(token, item.accessTokenHash)) {
    throw new OrderNotFoundError();
  }

  log.info("order.read");
  return jsonResult(200, orderFromItem(item), { "cache-control": "no-store" });
});
