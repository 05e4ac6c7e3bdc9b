/**
 * Turns zod issues into the `{path, code, message}` list of a ValidationError, with messages
 * written for the shopper ("must be at least 1") and one issue per field.
 *
 * Shared with the browser: imports nothing Node- or AWS-specific.
 */
import * as z from "zod/mini";
import { type FieldIssue, ValidationError } from "./domain-errors.ts";

/** Parses `input` with `schema`, throwing a ValidationError that lists every invalid field. */
export function parseWithSchema<Schema extends z.core.$ZodType>(
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const result = z.safeParse(schema, input, { reportInput: true });
  if (result.success) {
    return result.data;
  }
  throw new ValidationError(fieldIssuesFromZod(result.error.issues));
}

/** Converts zod issues into field issues, keeping the first issue of each path. */
export function fieldIssuesFromZod(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  const byPath = new Map<string, FieldIssue>();

  for (const issue of issues) {
    for (const fieldIssue of convertIssue(issue)) {
      const existing = byPath.get(fieldIssue.path);
      // zod reports a number beyond the safe-integer range twice; the schema's own maximum is
      // the limit the shopper can act on.
      if (existing === undefined || isSafeIntegerRangeIssue(existing)) {
        byPath.set(fieldIssue.path, fieldIssue);
      }
    }
  }

  return [...byPath.values()];
}

const SAFE_INTEGER_LIMIT_MESSAGE = `must be at most ${Number.MAX_SAFE_INTEGER}`;

function isSafeIntegerRangeIssue(issue: FieldIssue): boolean {
  return issue.code === "too_big" && issue.message === SAFE_INTEGER_LIMIT_MESSAGE;
}

/** Maximum code points of a reported path segment; longer ones, such as a hostile key, are cut. */
export const MAX_PATH_SEGMENT_LENGTH = 64;

function pathSegment(segment: PropertyKey): string {
  const characters = Array.from(String(segment));
  if (characters.length <= MAX_PATH_SEGMENT_LENGTH) {
    return characters.join("");
  }
  return `${characters.slice(0, MAX_PATH_SEGMENT_LENGTH - 3).join("")}...`;
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.map(pathSegment).join(".");
}

function convertIssue(issue: z.core.$ZodIssue): FieldIssue[] {
  const path = joinPath(issue.path);

  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => ({
        path: path === "" ? pathSegment(key) : `${path}.${pathSegment(key)}`,
        code: "unrecognized_key",
        message: "is not an allowed field",
      }));
    case "invalid_type":
      if (issue.input === undefined) {
        return [{ path, code: "required", message: "is required" }];
      }
      return [{ path, code: "invalid_type", message: expectedTypeMessage(issue.expected) }];
    case "too_small":
      return [{ path, code: "too_small", message: tooSmallMessage(issue) }];
    case "too_big":
      return [{ path, code: "too_big", message: tooBigMessage(issue) }];
    case "invalid_format":
      return [
        {
          path,
          code: "invalid_format",
          message: issue.format === "email" ? "must be an e-mail address" : "has an invalid format",
        },
      ];
    case "invalid_value":
      return [
        {
          path,
          code: "invalid_value",
          message: `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`,
        },
      ];
    case "custom": {
      const code = typeof issue.params?.code === "string" ? issue.params.code : "invalid";
      return [{ path, code, message: issue.message }];
    }
    default:
      return [{ path, code: "invalid", message: "is invalid" }];
  }
}

function expectedTypeMessage(expected: string): string {
  switch (expected) {
    case "int":
      return "must be a whole number";
    case "array":
    case "object":
      return `must be an ${expected}`;
    default:
      return `must be a ${expected}`;
  }
}

function tooSmallMessage(issue: z.core.$ZodIssueTooSmall): string {
  const minimum = Number(issue.minimum);
  if (issue.origin === "array" || issue.origin === "set") {
    return `must contain at least ${minimum} ${minimum === 1 ? "item" : "items"}`;
  }
  if (issue.origin === "string") {
    return minimum === 1 ? "must not be empty" : `must be at least ${minimum} characters long`;
  }
  return issue.inclusive === false ? `must be more than ${minimum}` : `must be at least ${minimum}`;
}

function tooBigMessage(issue: z.core.$ZodIssueTooBig): string {
  const maximum = Number(issue.maximum);
  if (issue.origin === "array" || issue.origin === "set") {
    return `must contain at most ${maximum} ${maximum === 1 ? "item" : "items"}`;
  }
  if (issue.origin === "string") {
    return `must be at most ${maximum} characters long`;
  }
  return issue.inclusive === false ? `must be less than ${maximum}` : `must be at most ${maximum}`;
}
