/**
 * Types for the subset of the Amazon States Language (JSONPath) that the order workflow uses.
 * Field names are the specification's, so the object serialises to a valid definition as is.
 */

export type JsonPath = string;

/** A payload template: a key ending in `.$` takes a path or an intrinsic function call. */
export type PayloadTemplate = { [key: string]: unknown };

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
  MaxDelaySeconds: number;
  JitterStrategy: "FULL" | "NONE";
}

export interface Catcher {
  ErrorEquals: string[];
  ResultPath: JsonPath | null;
  Next: string;
}

interface Transition {
  Next?: string;
  End?: true;
}

export interface TaskState extends Transition {
  Type: "Task";
  Comment?: string;
  Resource: string;
  Parameters?: PayloadTemplate;
  ResultSelector?: PayloadTemplate;
  ResultPath?: JsonPath | null;
  TimeoutSeconds: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface PassState extends Transition {
  Type: "Pass";
  Comment?: string;
  Parameters?: PayloadTemplate;
  Result?: unknown;
  ResultPath?: JsonPath | null;
}

export interface SucceedState {
  Type: "Succeed";
  Comment?: string;
  OutputPath?: JsonPath;
}

export interface FailState {
  Type: "Fail";
  Comment?: string;
  Error?: string;
  Cause?: string;
  ErrorPath?: JsonPath;
  CausePath?: JsonPath;
}

export type State = TaskState | PassState | SucceedState | FailState;

export interface StateMachineDefinition {
  Comment?: string;
  StartAt: string;
  /** Maximum run time in seconds, after which the execution ends as TIMED_OUT. */
  TimeoutSeconds?: number;
  States: Record<string, State>;
}
