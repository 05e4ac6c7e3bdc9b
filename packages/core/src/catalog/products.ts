/**
 * The catalog's product shape and the seed catalog the offline stack loads into an empty table.
 * Prices are integer minor units of STORE_CURRENCY; clients never send prices.
 */
import * as z from "zod/mini";
import { Sku } from "../order/request.ts";

const MinorUnits = z.int().check(z.minimum(0));

export const Product = z.strictObject({
  sku: Sku,
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  description: z.string().check(z.maxLength(500)),
  /** Price of one unit in minor units of STORE_CURRENCY, before tax. */
  unitPrice: MinorUnits,
  /** Units left to sell. */
  stock: z.int().check(z.minimum(0)),
});
export type Product = z.infer<typeof Product>;

export const seedProducts: readonly Product[] = Object.freeze(
  [
    {
      sku: "MUG-STONE-350",
      name: "Stoneware mug",
      description: "350 ml, reactive glaze in slate grey, dishwasher safe",
      unitPrice: 1490,
      stock: 42,
    },
    {
      sku: "MUG-ENAMEL-300",
      name: "Enamel camp mug",
      description: "300 ml steel mug with a rolled rim, cream with a blue edge",
      unitPrice: 1290,
      stock: 60,
    },
    {
      sku: "TEA-SENCHA-100",
      name: "Sencha green tea",
      description: "100 g loose leaf from Shizuoka, first flush",
      unitPrice: 1150,
      stock: 35,
    },
    {
      sku: "TEA-ASSAM-250",
      name: "Assam breakfast tea",
      description: "250 g strong malty black tea, loose leaf",
      unitPrice: 1390,
      stock: 28,
    },
    {
      sku: "COF-ETH-250",
      name: "Ethiopia Guji coffee beans",
      description: "250 g whole beans, light roast, notes of bergamot and peach",
      unitPrice: 1690,
      stock: 50,
    },
    {
      sku: "COF-BRA-1000",
      name: "Brazil Cerrado coffee beans",
      description: "1 kg whole beans, medium roast, chocolate and hazelnut",
      unitPrice: 3290,
      stock: 18,
    },
    {
      sku: "DRIP-V60-02",
      name: "Ceramic pour-over dripper",
      description: "Size 02 cone dripper for one to four cups, white porcelain",
      unitPrice: 2450,
      stock: 22,
    },
    {
      sku: "FILTER-V60-100",
      name: "Paper filters",
      description: "100 unbleached size 02 cone filters",
      unitPrice: 690,
      stock: 120,
    },
    {
      sku: "KETTLE-GOOSE-1000",
      name: "Gooseneck kettle",
      description: "1 litre stainless steel stovetop kettle with a thermometer",
      unitPrice: 5900,
      stock: 9,
    },
    {
      sku: "GRINDER-HAND-38",
      name: "Hand coffee grinder",
      description: "38 mm steel conical burrs, 30 g hopper, 40 grind settings",
      unitPrice: 8900,
      stock: 3,
    },
    {
      sku: "SCALE-TIMER-2000",
      name: "Brewing scale with timer",
      description: "Weighs up to 2 kg in 0.1 g steps, USB-C rechargeable",
      unitPrice: 3990,
      stock: 14,
    },
    {
      sku: "TEAPOT-CAST-800",
      name: "Cast iron teapot",
      description: "800 ml enamelled cast iron with a stainless steel infuser",
      unitPrice: 6490,
      stock: 0,
    },
    {
      sku: "CANISTER-TIN-500",
      name: "Airtight storage tin",
      description: "500 ml tin with an inner lid, keeps 250 g of beans or tea",
      unitPrice: 1890,
      stock: 40,
    },
    {
      sku: "TOWEL-LINEN-2",
      name: "Linen tea towels, set of two",
      description: "Stonewashed linen, 50 x 70 cm, natural and charcoal",
      unitPrice: 2200,
      stock: 25,
    },
  ].map((product) => Object.freeze(Product.parse(product))),
);
