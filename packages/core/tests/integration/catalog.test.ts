import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedProducts } from "../../src/catalog/products.ts";
import { seedCatalogIfEmpty } from "../../src/catalog/seed.ts";
import { getProducts, listProducts } from "../../src/catalog/store.ts";
import { UnknownProductError } from "../../src/errors/domain-errors.ts";
import { createTestTable, type TestTable } from "../helpers/table.ts";

let table: TestTable;

beforeAll(async () => {
  table = await createTestTable();
});

afterAll(async () => {
  await table?.drop();
});

describe("catalog in the table", () => {
  it("seeds an empty table once", async () => {
    const first = await seedCatalogIfEmpty({ tableName: table.tableName, client: table.client });
    const second = await seedCatalogIfEmpty({ tableName: table.tableName, client: table.client });

    expect(first.seeded).toBe(seedProducts.length);
    expect(second.seeded).toBe(0);
  });

  it("keeps stock that orders changed when seeding again", async () => {
    const sku = seedProducts[0]?.sku ?? "";
    await table.store.product.patch({ sku }).set({ stock: 1 }).go();

    await seedCatalogIfEmpty({ tableName: table.tableName, client: table.client });

    expect((await table.store.product.get({ sku }).go()).data?.stock).toBe(1);
  });

  it("lists every product sorted by SKU", async () => {
    const products = await listProducts(table.store);

    expect(products.map((product) => product.sku)).toEqual(
      seedProducts.map((product) => product.sku).sort(),
    );
    expect(Object.keys(products[0] ?? {}).sort()).toEqual([
      "description",
      "name",
      "sku",
      "stock",
      "unitPrice",
    ]);
  });

  it("reads products by SKU", async () => {
    const skus = seedProducts.slice(0, 3).map((product) => product.sku);

    const products = await getProducts(table.store, skus);

    expect([...products.keys()].sort()).toEqual([...skus].sort());
  });

  it("names every SKU that is not in the catalog", async () => {
    const known = seedProducts[0]?.sku ?? "";

    const error = await getProducts(table.store, [known, "NOPE-1", "NOPE-2"]).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(UnknownProductError);
    expect((error as UnknownProductError).skus).toEqual(["NOPE-1", "NOPE-2"]);
  });
});
