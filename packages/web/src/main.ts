import { OrderflowApi } from "./api.ts";
import { CheckoutApp } from "./app.ts";

const apiUrl = (import.meta.env.VITE_API_URL ?? "http://localhost:3000").replace(/\/+$/, "");
const locale = navigator.language || undefined;

const app = new CheckoutApp(document, new OrderflowApi(apiUrl), locale);
app.start().catch((error: unknown) => {
  console.error("the checkout page failed to start", error);
});
