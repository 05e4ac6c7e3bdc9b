/**
 * Everything that differs between `production` and the other stages, in one place.
 *
 * Like the manifest, this file is plain data that Node loads outside SST.
 */

/** Log retention periods, named as SST's `logging.retention` options name them. */
const retentionDays = { "1 week": 7, "3 months": 90 } as const;

export type LogRetention = keyof typeof retentionDays;

export interface StageSettings {
  production: boolean;
  /** Deletion protection and point-in-time recovery of the table. */
  protectTable: boolean;
  logRetention: LogRetention;
  logRetentionDays: number;
  /** API Gateway throttling of the whole API: requests per second and burst size. */
  throttle: { rateLimit: number; burstLimit: number };
  /** Step Functions log level. Execution data contains customers' names, e-mails and addresses. */
  workflowLogLevel: "ERROR" | "ALL";
  includeExecutionData: boolean;
}

/** Returns the settings of the named stage. */
export function stageSettings(stage: string): StageSettings {
  const production = stage === "production";
  const logRetention: LogRetention = production ? "3 months" : "1 week";

  return {
    production,
    protectTable: production,
    logRetention,
    logRetentionDays: retentionDays[logRetention],
    // NOTE: a starting point for one shop, not a measured capacity.
    throttle: production ? { rateLimit: 100, burstLimit: 200 } : { rateLimit: 10, burstLimit: 20 },
    // Production logs only errors and leaves the execution data out. Other stages log every
    // event with its data for debugging.
    workflowLogLevel: production ? "ERROR" : "ALL",
    includeExecutionData: !production,
  };
}
