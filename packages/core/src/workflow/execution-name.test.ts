import { describe, expect, it } from "vitest";
import { executionNameFromArn } from "./execution-name.ts";

describe("executionNameFromArn", () => {
  it.each([
    [
      "an Express execution",
      "arn:aws:states:eu-central-1:123456789012:express:OrderWorkflow:8f0c7b1e-run:3d2a9c4f-5b6e",
      "8f0c7b1e-run",
    ],
    [
      "a Standard execution",
      "arn:aws:states:eu-central-1:123456789012:execution:OrderWorkflow:nightly-42",
      "nightly-42",
    ],
    [
      "another partition",
      "arn:aws-cn:states:cn-north-1:123456789012:execution:OrderWorkflow:run-7",
      "run-7",
    ],
  ])("returns the name of %s", (_case, arn, name) => {
    expect(executionNameFromArn(arn)).toBe(name);
  });

  it("leaves the account id out", () => {
    const arn = "arn:aws:states:eu-central-1:123456789012:express:OrderWorkflow:run:1";

    expect(executionNameFromArn(arn)).not.toContain("123456789012");
  });

  it.each([
    ["an empty string", ""],
    ["a state machine ARN", "arn:aws:states:eu-central-1:123456789012:stateMachine:OrderWorkflow"],
    ["a Lambda ARN", "arn:aws:lambda:eu-central-1:123456789012:function:run:1"],
    ["an empty name", "arn:aws:states:eu-central-1:123456789012:execution:OrderWorkflow:"],
  ])("rejects %s", (_case, arn) => {
    expect(() => executionNameFromArn(arn)).toThrow("Invalid Step Functions execution ARN");
  });
});
