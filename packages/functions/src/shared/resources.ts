/// <reference path="../../sst-env.d.ts" />
/**
 * Clients for the linked resources, built once per Lambda container on first use and reused by
 * every later invocation. Endpoints come from the SDK's standard `AWS_ENDPOINT_URL_*` variables.
 */
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SFNClient } from "@aws-sdk/client-sfn";
import { createStore, type Store } from "@orderflow/core/db/table";
import { Resource } from "sst/resource";

let store: Store | undefined;
let stepFunctions: SFNClient | undefined;
let email: SESv2Client | undefined;

export function getStore(): Store {
  store ??= createStore({ tableName: Resource.Table.name });
  return store;
}

export function getOrderWorkflowArn(): string {
  return Resource.OrderWorkflow.arn;
}

export function getEmailSender(): string {
  return Resource.Email.sender;
}

export function getStepFunctionsClient(): SFNClient {
  // StartSyncExecution's endpoint has the host prefix `sync-`, which a custom endpoint such as a
  // loopback address does not resolve, so the prefix is kept only for AWS's own endpoints.
  stepFunctions ??= new SFNClient({
    disableHostPrefix: process.env.AWS_ENDPOINT_URL_SFN !== undefined,
  });
  return stepFunctions;
}

export function getEmailClient(): SESv2Client {
  email ??= new SESv2Client({});
  return email;
}
