export * from "./errors/domain-errors.ts";
export * from "./errors/field-issues.ts";
