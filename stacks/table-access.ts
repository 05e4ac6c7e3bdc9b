/**
 * The DynamoDB actions each function may call on the table: the one place table permissions are
 * declared. SST's link to a `Dynamo` component would grant `dynamodb:*`, so the stacks link
 * functions to a `Table` resource that carries only the table name and grant these actions.
 *
 * Like the manifest, this file is plain data that Node loads outside SST.
 */
import { type FunctionName, functions, type ResourceName } from "./manifest.ts";

export type TableReadAction = "dynamodb:GetItem" | "dynamodb:BatchGetItem" | "dynamodb:Query";

/**
 * Actions that change items. `TransactWriteItems` has no IAM action of its own: DynamoDB checks
 * the action of each item in the transaction instead.
 */
export type TableWriteAction =
  | "dynamodb:PutItem"
  | "dynamodb:UpdateItem"
  | "dynamodb:DeleteItem"
  | "dynamodb:ConditionCheckItem";

export interface TableAccess {
  /** Allowed on the table and on its global indexes. */
  read: readonly TableReadAction[];
  /** Allowed on the table only. */
  write: readonly TableWriteAction[];
  /**
   * IAM `StringLike` patterns of the partition keys that `read` may fetch, so a function that
   * needs no order cannot read customers' data. Without them, any key may be read.
   */
  readablePartitionKeys?: readonly string[];
  /** Patterns of the partition keys that `write` may change. Without them, any key may change. */
  writablePartitionKeys?: readonly string[];
  /** The reason for each action, from the code the function calls. */
  reason: string;
}

/**
 * Partition key patterns of the items that packages/core stores, one per entity. They follow
 * ElectroDB's key format `$<service>#<attribute>_<value>`, lowercased, and stacks/manifest.test.ts
 * checks them against the keys that packages/core builds.
 */
export const partitionKeyPatterns = {
  product: "$orderflow#sku_*",
  order: "$orderflow#orderid_*",
  idempotency: "$orderflow#recordid_*",
  promotion: "$orderflow#code_*",
} as const;

type LinksOf<Name extends FunctionName> = (typeof functions)[Name]["link"][number];

/** Functions whose manifest entry links the table. */
export type TableFunctionName = {
  [Name in FunctionName]: "Table" extends LinksOf<Name> ? Name : never;
}[FunctionName];

export const tableAccess: Readonly<Record<TableFunctionName, TableAccess>> = {
  ListProducts: {
    read: ["dynamodb:Query"],
    write: [],
    reason: "reads the catalog from index gsi1",
  },
  QuoteOrder: {
    read: ["dynamodb:BatchGetItem", "dynamodb:GetItem"],
    write: [],
    readablePartitionKeys: [partitionKeyPatterns.product, partitionKeyPatterns.promotion],
    reason: "reads the products of the cart and the promotion's redemption count",
  },
  GetOrder: {
    read: ["dynamodb:GetItem"],
    write: [],
    readablePartitionKeys: [partitionKeyPatterns.order],
    reason: "reads one order by id",
  },
  PlaceOrder: {
    read: ["dynamodb:GetItem"],
    write: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    readablePartitionKeys: [partitionKeyPatterns.idempotency, partitionKeyPatterns.order],
    writablePartitionKeys: [partitionKeyPatterns.idempotency],
    reason:
      "claims, completes and releases the Idempotency-Key record, and reads the order a replay returns; the order itself is written by the workflow",
  },
  ValidateOrder: {
    read: ["dynamodb:BatchGetItem"],
    write: [],
    readablePartitionKeys: [partitionKeyPatterns.product],
    reason: "checks that every SKU of the request is in the catalog",
  },
  PriceOrder: {
    read: ["dynamodb:BatchGetItem", "dynamodb:GetItem"],
    write: [],
    readablePartitionKeys: [partitionKeyPatterns.product, partitionKeyPatterns.promotion],
    reason: "reads unit prices and the promotion's redemption count",
  },
  PersistOrder: {
    read: ["dynamodb:GetItem", "dynamodb:BatchGetItem"],
    write: ["dynamodb:PutItem", "dynamodb:UpdateItem"],
    readablePartitionKeys: [partitionKeyPatterns.order, partitionKeyPatterns.product],
    reason:
      "writes the order, the stock decrements, the idempotency record and the promotion count in one TransactWriteItems, then reads back the order or the stock a failed condition hit",
  },
  NotifyOrder: {
    read: ["dynamodb:GetItem"],
    write: ["dynamodb:UpdateItem"],
    readablePartitionKeys: [partitionKeyPatterns.order],
    writablePartitionKeys: [partitionKeyPatterns.order],
    reason: "reads and records whether the order's confirmation e-mail was sent",
  },
};

export interface PolicyStatement {
  actions: string[];
  resources: string[];
  conditions?: { test: string; variable: string; values: string[] }[];
}

/** Builds the IAM statements that grant a function its table actions and nothing else. */
export function tableStatements(access: TableAccess, tableArn: string): PolicyStatement[] {
  const statements: PolicyStatement[] = [];

  if (access.read.length > 0) {
    statements.push({
      actions: [...access.read],
      resources: [tableArn, `${tableArn}/index/*`],
      ...leadingKeysCondition(access.readablePartitionKeys),
    });
  }

  if (access.write.length > 0) {
    statements.push({
      actions: [...access.write],
      resources: [tableArn],
      ...leadingKeysCondition(access.writablePartitionKeys),
    });
  }

  return statements;
}

/** Builds the condition that every partition key a request touches matches one of `patterns`. */
function leadingKeysCondition(
  patterns: readonly string[] | undefined,
): Pick<PolicyStatement, "conditions"> {
  if (patterns === undefined) return {};
  return {
    conditions: [
      { test: "ForAllValues:StringLike", variable: "dynamodb:LeadingKeys", values: [...patterns] },
    ],
  };
}

/** Tells whether a function's manifest entry links the given resource. */
export function linksResource(name: FunctionName, resource: ResourceName): boolean {
  return (functions[name].link as readonly ResourceName[]).includes(resource);
}
