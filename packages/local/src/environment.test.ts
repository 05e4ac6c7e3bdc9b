import { describe, expect, it } from "vitest";
import { type FunctionName, functions } from "../../../stacks/manifest.ts";
import { functionEnvironment, type LocalResources } from "./environment.ts";

const resources: LocalResources = {
  stage: "test",
  region: "eu-central-1",
  tableName: "orderflow-test-Table",
  stateMachineArn:
    "arn:aws:states:eu-central-1:000000000000:stateMachine:orderflow-test-OrderWorkflow",
  emailSender: "orders@example.com",
  endpoints: {
    dynamodb: "http://127.0.0.1:1001",
    stepFunctions: "http://127.0.0.1:1002",
    sesv2: "http://127.0.0.1:1003",
  },
};

const endpointOf = {
  Table: "AWS_ENDPOINT_URL_DYNAMODB",
  OrderWorkflow: "AWS_ENDPOINT_URL_SFN",
  Email: "AWS_ENDPOINT_URL_SESV2",
} as const;

const functionNames = Object.keys(functions) as FunctionName[];

describe("functionEnvironment", () => {
  it.each(functionNames)("gives %s only its linked resources", (name) => {
    // Act
    const environment = functionEnvironment(name, resources);

    // Assess
    const linked = [...functions[name].link].sort();
    const sstResources = Object.keys(environment)
      .filter((key) => key.startsWith("SST_RESOURCE_") && key !== "SST_RESOURCE_App")
      .map((key) => key.slice("SST_RESOURCE_".length))
      .sort();
    expect(sstResources).toEqual(linked);

    const endpoints = Object.keys(environment)
      .filter((key) => key.startsWith("AWS_ENDPOINT_URL_"))
      .sort();
    expect(endpoints).toEqual(linked.map((link) => endpointOf[link]).sort());
  });

  it("sets the app, region and dummy credentials", () => {
    // Act
    const environment = functionEnvironment("ListProducts", resources);

    // Assess
    expect(JSON.parse(environment.SST_RESOURCE_App ?? "")).toEqual({
      name: "orderflow",
      stage: "test",
    });
    expect(environment.AWS_REGION).toBe("eu-central-1");
    expect(environment.AWS_ACCESS_KEY_ID).toEqual(expect.any(String));
    expect(environment.AWS_SECRET_ACCESS_KEY).toEqual(expect.any(String));
  });

  it.each([
    {
      name: "PlaceOrder" as const,
      variable: "SST_RESOURCE_Table",
      value: { name: resources.tableName, type: "sst.sst.Linkable" },
    },
    {
      name: "PlaceOrder" as const,
      variable: "SST_RESOURCE_OrderWorkflow",
      value: { arn: resources.stateMachineArn, type: "sst.sst.Linkable" },
    },
    {
      name: "NotifyOrder" as const,
      variable: "SST_RESOURCE_Email",
      value: {
        sender: resources.emailSender,
        configSet: "orderflow-test-EmailConfigSet",
        type: "sst.sst.Linkable",
      },
    },
  ])("shapes $variable as SST links it", ({ name, variable, value }) => {
    // Act
    const environment = functionEnvironment(name, resources);

    // Assess
    expect(JSON.parse(environment[variable] ?? "null")).toEqual(value);
  });

  it("points each linked service at its local endpoint", () => {
    // Act
    const environment = functionEnvironment("PlaceOrder", resources);

    // Assess
    expect(environment.AWS_ENDPOINT_URL_DYNAMODB).toBe(resources.endpoints.dynamodb);
    expect(environment.AWS_ENDPOINT_URL_SFN).toBe(resources.endpoints.stepFunctions);
    expect(environment.AWS_ENDPOINT_URL_SESV2).toBeUndefined();
  });
});
