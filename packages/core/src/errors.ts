export * from "./errors/domain-errors.ts";
