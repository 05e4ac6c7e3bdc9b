import { table } from "../manifest.ts";
import { stageSettings } from "../stage-settings.ts";

const settings = stageSettings($app.stage);

/**
 * The one DynamoDB table. Functions never link this component, because its link grants
 * `dynamodb:*`. They link `tableLink` and get the actions listed in stacks/table-access.ts.
 */
export const dynamo = new sst.aws.Dynamo("OrderTable", {
  fields: {
    [table.partitionKey]: "string",
    [table.sortKey]: "string",
    ...Object.fromEntries(
      Object.values(table.globalIndexes).flatMap((index) => [
        [index.partitionKey, "string"],
        [index.sortKey, "string"],
      ]),
    ),
  },
  primaryIndex: { hashKey: table.partitionKey, rangeKey: table.sortKey },
  globalIndexes: Object.fromEntries(
    Object.entries(table.globalIndexes).map(([name, index]) => [
      name,
      { hashKey: index.partitionKey, rangeKey: index.sortKey },
    ]),
  ),
  ttl: table.ttlAttribute,
  stream: table.stream,
  deletionProtection: settings.protectTable,
  transform: {
    table: (args) => {
      // SST turns point-in-time recovery on for every stage. It is billed per GB of table data,
      // so only production, the one stage whose data is worth restoring, pays for it.
      args.pointInTimeRecovery = { enabled: settings.protectTable };
    },
  },
});

/** The `Resource.Table` that handlers read: the table's name, with no permissions attached. */
export const tableLink = new sst.Linkable(table.resource, {
  properties: { name: dynamo.name },
});
