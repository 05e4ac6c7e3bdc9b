import { type FunctionName, functions, type ResourceName } from "../manifest.ts";
import { stageSettings } from "../stage-settings.ts";
import { tableAccess, tableStatements } from "../table-access.ts";
import { dynamo } from "./storage.ts";

const settings = stageSettings($app.stage);

/**
 * Creates the Lambda function of a manifest entry, linked to exactly the resources the entry
 * lists. `links` must contain each of them, because a missing one is a mistake in the calling stack.
 */
export function createFunction(
  name: FunctionName,
  links: Partial<Record<ResourceName, sst.Linkable<Record<string, unknown>>>>,
): sst.aws.Function {
  const spec = functions[name];
  const linked = spec.link.map((resource) => {
    const link = links[resource];
    if (!link) {
      throw new Error(
        `Function ${name} links ${resource}, but its stack did not pass that resource.`,
      );
    }
    return link;
  });

  const access = name in tableAccess ? tableAccess[name as keyof typeof tableAccess] : undefined;
  const tablePermissions = access ? dynamo.arn.apply((arn) => tableStatements(access, arn)) : [];

  return new sst.aws.Function(name, {
    handler: spec.handler,
    description: spec.description,
    runtime: "nodejs24.x",
    architecture: "arm64",
    timeout: `${spec.timeout} seconds`,
    memory: `${spec.memory} MB`,
    link: linked,
    permissions: $output(tablePermissions).apply((statements) => [
      ...statements,
      // Active tracing sends segments to X-Ray, so the workflow's trace shows each step.
      { actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] },
    ]),
    // The JSON format also writes Lambda's own START, END and REPORT records as JSON, so the log
    // group contains only JSON lines, like the handlers' logs.
    logging: { format: "json", retention: settings.logRetention },
    transform: {
      function: (args) => {
        args.tracingConfig = { mode: "Active" };
      },
    },
  });
}
