import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { table } from "../../../../stacks/manifest.ts";

/**
 * Creates the app's table as the manifest declares it (keys, global indexes, TTL attribute, a
 * stream of new and old images, on-demand billing) unless a table of that name already exists.
 * Returns whether it created the table.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  if (await tableExists(client, tableName)) return false;

  const keyAttributes = new Set<string>([table.partitionKey, table.sortKey]);
  const globalSecondaryIndexes = Object.entries(table.globalIndexes).map(([indexName, keys]) => {
    keyAttributes.add(keys.partitionKey);
    keyAttributes.add(keys.sortKey);
    return {
      IndexName: indexName,
      KeySchema: [
        { AttributeName: keys.partitionKey, KeyType: "HASH" as const },
        { AttributeName: keys.sortKey, KeyType: "RANGE" as const },
      ],
      Projection: { ProjectionType: "ALL" as const },
    };
  });

  const streamViewType = table.stream.toUpperCase().replaceAll("-", "_") as "NEW_AND_OLD_IMAGES";
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: "HASH" },
        { AttributeName: table.sortKey, KeyType: "RANGE" },
      ],
      AttributeDefinitions: [...keyAttributes].map((name) => ({
        AttributeName: name,
        AttributeType: "S" as const,
      })),
      GlobalSecondaryIndexes: globalSecondaryIndexes,
      StreamSpecification: { StreamEnabled: true, StreamViewType: streamViewType },
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
    }),
  );
  return true;
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}
