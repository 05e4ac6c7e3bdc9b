/**
 * The HTTP API's CORS rules, except the allowed origin: that is the checkout page's origin, which
 * is set where the page is served.
 *
 * Like the manifest, this file is plain data that Node loads outside SST, so the offline stack
 * can read it too.
 */
import { routes } from "./manifest.ts";

type Route = keyof typeof routes;
export type RouteMethod = Route extends `${infer Method} ${string}` ? Method : never;

export const cors = {
  // The checkout page sends a JSON body with an Idempotency-Key, and reads an order with the
  // bearer access token it was given.
  allowHeaders: ["content-type", "idempotency-key", "authorization"],
  // The page reads where a new order lives and how long to wait after a 503.
  exposeHeaders: ["location", "retry-after"],
  maxAgeSeconds: 86_400,
} as const;

/** Returns the HTTP methods of the manifest's routes, each once. */
export function routeMethods(): RouteMethod[] {
  return [...new Set(Object.keys(routes).map((route) => route.split(" ")[0] as RouteMethod))];
}
