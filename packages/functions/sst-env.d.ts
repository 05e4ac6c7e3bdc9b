/* Types of the linked resources that SST's `Resource` object exposes to these handlers, in the
 * shape SST generates for an app's `sst-env.d.ts`. */
import "sst";

declare module "sst" {
  export interface Resource {
    Table: {
      name: string;
      type: "sst.aws.Dynamo";
    };
    OrderWorkflow: {
      arn: string;
      type: "sst.aws.StepFunctions";
    };
    Email: {
      sender: string;
      configSet: string;
      type: "sst.aws.Email";
    };
  }
}

export {};
