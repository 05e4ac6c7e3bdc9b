import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ValidationError } from "./domain-errors.ts";
import { fieldIssuesFromZod, parseWithSchema } from "./field-issues.ts";

function issuesFor(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) {
    throw new Error("expected the input to be rejected");
  }
  return fieldIssuesFromZod(result.error.issues);
}

describe("fieldIssuesFromZod", () => {
  it.each([
    ["a missing field", z.object({ a: z.string() }), {}, "a", "required", "is required"],
    [
      "a wrong type",
      z.object({ a: z.string() }),
      { a: 1 },
      "a",
      "invalid_type",
      "must be a string",
    ],
    [
      "a fraction",
      z.object({ a: z.int() }),
      { a: 1.5 },
      "a",
      "invalid_type",
      "must be a whole number",
    ],
    [
      "a small number",
      z.object({ a: z.int().min(2) }),
      { a: 1 },
      "a",
      "too_small",
      "must be at least 2",
    ],
    [
      "a large number",
      z.object({ a: z.int().max(2) }),
      { a: 3 },
      "a",
      "too_big",
      "must be at most 2",
    ],
    [
      "an exclusive minimum",
      z.object({ a: z.number().gt(0) }),
      { a: 0 },
      "a",
      "too_small",
      "must be more than 0",
    ],
    [
      "an empty string",
      z.object({ a: z.string().min(1) }),
      { a: "" },
      "a",
      "too_small",
      "must not be empty",
    ],
    [
      "a short string",
      z.object({ a: z.string().min(3) }),
      { a: "ab" },
      "a",
      "too_small",
      "must be at least 3 characters long",
    ],
    [
      "a long string",
      z.object({ a: z.string().max(2) }),
      { a: "abc" },
      "a",
      "too_big",
      "must be at most 2 characters long",
    ],
    [
      "a short array",
      z.object({ a: z.array(z.int()).min(2) }),
      { a: [1] },
      "a",
      "too_small",
      "must contain at least 2 items",
    ],
    [
      "a long array",
      z.object({ a: z.array(z.int()).max(1) }),
      { a: [1, 2] },
      "a",
      "too_big",
      "must contain at most 1 item",
    ],
    [
      "a bad e-mail",
      z.object({ a: z.email() }),
      { a: "x" },
      "a",
      "invalid_format",
      "must be an e-mail address",
    ],
    [
      "another value",
      z.object({ a: z.enum(["x", "y"]) }),
      { a: "z" },
      "a",
      "invalid_value",
      'must be one of "x", "y"',
    ],
    [
      "a nested element",
      z.object({ a: z.array(z.object({ b: z.int() })) }),
      { a: [{ b: 1 }, { b: "2" }] },
      "a.1.b",
      "invalid_type",
      "must be a number",
    ],
    ["a non-object root", z.object({}), [], "", "invalid_type", "must be an object"],
  ])("describes %s", (_label, schema, input, path, code, message) => {
    expect(issuesFor(schema, input)).toEqual([{ path, code, message }]);
  });

  it("lists each unknown key under its own path", () => {
    const schema = z.object({ a: z.strictObject({}) });

    const issues = issuesFor(schema, { a: { x: 1, y: 2 } });

    expect(issues.map((issue) => issue.path)).toEqual(["a.x", "a.y"]);
    expect(issues.every((issue) => issue.code === "unrecognized_key")).toBe(true);
  });

  it("keeps the code of a custom issue", () => {
    const schema = z.string().superRefine((_value, context) => {
      context.addIssue({ code: "custom", message: "is taken", params: { code: "duplicate" } });
    });

    expect(issuesFor(schema, "x")).toEqual([{ path: "", code: "duplicate", message: "is taken" }]);
  });

  it("reports the schema's own maximum for an unsafe integer", () => {
    const issues = issuesFor(z.object({ a: z.int().max(99) }), { a: 2 ** 53 });

    expect(issues).toEqual([{ path: "a", code: "too_big", message: "must be at most 99" }]);
  });

  it("keeps the first issue of each path", () => {
    const schema = z.object({ a: z.string().min(3).regex(/^\d+$/) });

    const issues = issuesFor(schema, { a: "x" });

    expect(issues).toHaveLength(1);
    expect(issues[0]?.code).toBe("too_small");
  });
});

describe("parseWithSchema", () => {
  const schema = z.strictObject({ count: z.int().min(1) });

  it("returns the parsed value", () => {
    expect(parseWithSchema(schema, { count: 2 })).toEqual({ count: 2 });
  });

  it("throws a ValidationError with every field", () => {
    const act = () => parseWithSchema(schema, { count: 0, extra: true });

    expect(act).toThrow(ValidationError);
    expect(act).toThrow(
      expect.objectContaining({
        errors: [
          { path: "count", code: "too_small", message: "must be at least 1" },
          { path: "extra", code: "unrecognized_key", message: "is not an allowed field" },
        ],
      }),
    );
  });
});
