import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureTable } from "../../src/dynamodb/table.ts";

let client: DynamoDBClient;
let tableName: string;
let table: TableDescription;

beforeAll(async () => {
  client = new DynamoDBClient({
    endpoint: inject("dynamodbUrl"),
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  tableName = inject("tableName");
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  table = described.Table ?? {};
});

afterAll(() => {
  client.destroy();
});

describe("table created by the offline stack", () => {
  it("has the manifest's keys", () => {
    expect(table.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
  });

  it("has the gsi1 index projecting all attributes", () => {
    const index = table.GlobalSecondaryIndexes?.find((entry) => entry.IndexName === "gsi1");

    expect(index?.KeySchema).toEqual([
      { AttributeName: "gsi1pk", KeyType: "HASH" },
      { AttributeName: "gsi1sk", KeyType: "RANGE" },
    ]);
    expect(index?.Projection?.ProjectionType).toBe("ALL");
  });

  it("streams new and old images", () => {
    expect(table.StreamSpecification).toEqual({
      StreamEnabled: true,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    });
  });

  it("bills on demand", () => {
    expect(table.BillingModeSummary?.BillingMode).toBe("PAY_PER_REQUEST");
  });

  it("expires items by expiresAt", async () => {
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));

    expect(ttl.TimeToLiveDescription?.AttributeName).toBe("expiresAt");
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe("ENABLED");
  });

  it("is left alone when it already exists", async () => {
    const created = await ensureTable(client, tableName);

    expect(created).toBe(false);
  });
});
