import {
  appName,
  type FunctionName,
  functions,
  type ResourceName,
} from "../../../stacks/manifest.ts";

// The SST stack links each resource through an `sst.Linkable` (stacks/aws), and SST names a
// link's type after its component type with dots, so handlers on AWS see this value.
const linkableType = "sst.sst.Linkable";

/** Names of the offline stack's linkable resources and the endpoints of their services. */
export interface LocalResources {
  stage: string;
  region: string;
  tableName: string;
  stateMachineArn: string;
  emailSender: string;
  endpoints: {
    dynamodb: string;
    stepFunctions: string;
    sesv2: string;
  };
}

/**
 * Builds the environment of one function. It gets `SST_RESOURCE_App` and one `SST_RESOURCE_<Name>`
 * per linked resource, as SST's `Resource` object reads them, plus the region and dummy
 * credentials. `AWS_ENDPOINT_URL_*` is set only for the services its links reach, so a function
 * cannot reach a resource it does not link.
 */
export function functionEnvironment(
  name: FunctionName,
  resources: LocalResources,
): Record<string, string> {
  const environment: Record<string, string> = {
    SST_RESOURCE_App: JSON.stringify({ name: appName, stage: resources.stage }),
    AWS_REGION: resources.region,
    AWS_DEFAULT_REGION: resources.region,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_SESSION_TOKEN: "local",
  };

  for (const link of functions[name].link as readonly ResourceName[]) {
    Object.assign(environment, linkEnvironment(link, resources));
  }
  return environment;
}

function linkEnvironment(link: ResourceName, resources: LocalResources): Record<string, string> {
  switch (link) {
    case "Table":
      return {
        SST_RESOURCE_Table: JSON.stringify({ name: resources.tableName, type: linkableType }),
        AWS_ENDPOINT_URL_DYNAMODB: resources.endpoints.dynamodb,
      };
    case "OrderWorkflow":
      return {
        SST_RESOURCE_OrderWorkflow: JSON.stringify({
          arn: resources.stateMachineArn,
          type: linkableType,
        }),
        AWS_ENDPOINT_URL_SFN: resources.endpoints.stepFunctions,
      };
    case "Email":
      return {
        SST_RESOURCE_Email: JSON.stringify({
          sender: resources.emailSender,
          configSet: `${appName}-${resources.stage}-EmailConfigSet`,
          type: linkableType,
        }),
        AWS_ENDPOINT_URL_SESV2: resources.endpoints.sesv2,
      };
  }
}
