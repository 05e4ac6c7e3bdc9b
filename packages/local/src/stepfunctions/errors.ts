/**
 * An error the Step Functions API returns to its caller, with AWS's error name (sent as `__type`)
 * and HTTP status. The AWS SDK turns the name into an exception class of the same name.
 */
export class StepFunctionsApiError extends Error {
  override readonly name: string;
  readonly status: number;

  constructor(name: string, message: string, status = 400) {
    super(message);
    this.name = name;
    this.status = status;
  }
}

export const apiErrors = {
  stateMachineDoesNotExist: (arn: string) =>
    new StepFunctionsApiError("StateMachineDoesNotExist", `State Machine Does Not Exist: '${arn}'`),
  executionDoesNotExist: (arn: string) =>
    new StepFunctionsApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${arn}'`),
  invalidArn: (field: string, arn: unknown) =>
    new StepFunctionsApiError("InvalidArn", `Invalid Arn in ${field}: '${String(arn)}'`),
  invalidExecutionInput: (detail: string) =>
    new StepFunctionsApiError(
      "InvalidExecutionInput",
      `Invalid State Machine Execution Input: '${detail}'`,
    ),
  invalidName: (name: string) =>
    new StepFunctionsApiError("InvalidName", `Invalid Name: '${name}'`),
  invalidToken: (token: string) =>
    new StepFunctionsApiError("InvalidToken", `Invalid Token: '${token}'`),
  validation: (message: string) => new StepFunctionsApiError("ValidationException", message),
  unknownOperation: (target: string) =>
    new StepFunctionsApiError(
      "UnknownOperationException",
      `The operation '${target}' is not supported by this endpoint.`,
    ),
  serialization: (message: string) => new StepFunctionsApiError("SerializationException", message),
  requestTooLarge: (bytes: number, limit: number) =>
    new StepFunctionsApiError(
      "ValidationException",
      `The request body is ${bytes} bytes, more than the ${limit} bytes this endpoint accepts.`,
      413,
    ),
};

/**
 * A failure raised inside a run that the state machine must not retry or catch, as Step Functions
 * treats `States.DataLimitExceeded` and `States.Runtime`. The interpreter reads `isRetryable` and
 * `isCatchable` to decide.
 */
export class TerminalStatesError extends Error {
  override readonly name: string;
  readonly isRetryable = false;
  readonly isCatchable = false;

  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * A Lambda function's error as Step Functions reports it: the error name is Lambda's
 * `errorType`, so `Retry` and `Catch` match domain errors by class name, and the cause is the JSON
 * text of Lambda's error object.
 */
export class LambdaFunctionError extends Error {
  override readonly name: string;
  readonly errorMessage: string;

  constructor(errorType: string, errorMessage: string) {
    super(JSON.stringify({ errorType, errorMessage }));
    this.name = errorType;
    this.errorMessage = errorMessage;
  }
}
