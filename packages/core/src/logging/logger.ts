/**
 * Structured JSON logs, one line per event, written to stdout (Lambda sends stdout to CloudWatch).
 *
 * A logger carries context fields (request id, order id, execution id) that a handler attaches
 * once per invocation. Callers must not pass personal data (names, e-mail or street addresses)
 * as fields: nothing here filters it out.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

export type LogFields = Record<string, unknown>;

export type LogSink = (line: string) => void;

const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** Returns a logger that adds `fields` to every line, on top of this logger's context. */
  child(fields: LogFields): Logger;
  /** Replaces this logger's own context, for a handler that serves one invocation after another. */
  setContext(fields: LogFields): void;
}

export interface LoggerOptions {
  service: string;
  /** Lowest level written; defaults to `LOG_LEVEL` or `info`. */
  level?: LogLevel;
  sink?: LogSink;
  now?: () => Date;
}

/** Turns an error into loggable fields: its name and message, and the stack for non-domain errors. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) {
    return { errorName: error.name, errorMessage: error.message, stack: error.stack };
  }
  return { errorName: typeof error, errorMessage: String(error) };
}

function parseLevel(value: string | undefined): LogLevel | undefined {
  return value === "debug" || value === "info" || value === "warn" || value === "error"
    ? value
    : undefined;
}

function writeStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function createLogger(options: LoggerOptions): Logger {
  const level = options.level ?? parseLevel(process.env.LOG_LEVEL) ?? "info";
  const sink = options.sink ?? writeStdout;
  const now = options.now ?? (() => new Date());
  return build(options.service, levelRank[level], sink, now, {}, {});
}

function build(
  service: string,
  minRank: number,
  sink: LogSink,
  now: () => Date,
  inherited: LogFields,
  initial: LogFields,
): Logger {
  let context = { ...initial };

  const write = (level: LogLevel, event: string, fields?: LogFields) => {
    if (levelRank[level] < minRank) {
      return;
    }
    const record = {
      time: now().toISOString(),
      level,
      service,
      event,
      ...inherited,
      ...context,
      ...fields,
    };
    sink(JSON.stringify(record, replaceUnserialisable));
  };

  return {
    debug: (event, fields) => write("debug", event, fields),
    info: (event, fields) => write("info", event, fields),
    warn: (event, fields) => write("warn", event, fields),
    error: (event, fields) => write("error", event, fields),
    child: (fields) => build(service, minRank, sink, now, { ...inherited, ...context }, fields),
    setContext: (fields) => {
      context = { ...fields };
    },
  };
}

// BigInt and errors nested in fields would otherwise throw or print as `{}`.
function replaceUnserialisable(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") {
    return value.toString();
  }
  if (value instanceof Error) {
    return errorFields(value);
  }
  return value;
}
