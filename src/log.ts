import type { LogLevel } from "./config.ts";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(fields: Fields): Logger;
  enabled(level: LogLevel): boolean;
}

function serializeError(error: unknown) {
  return error instanceof Error ? { name: error.name, message: error.message } : String(error);
}

/**
 * One JSON object a line on stdout, so a log shipper needs no parsing rules. `context` adds what the
 * moment knows to each line: the trace of the request being handled, when tracing is on.
 */
export function createLogger(level: LogLevel, base: Fields = {}, write: (line: string) => void = (line) => void process.stdout.write(line), context?: () => Fields | undefined): Logger {
  const threshold = RANK[level];
  const emit = (lvl: LogLevel, msg: string, fields?: Fields) => {
    if (RANK[lvl] < threshold) return;
    const record: Fields = { time: new Date().toISOString(), level: lvl, msg, ...base, ...context?.(), ...fields };
    if (record.err !== undefined) record.err = serializeError(record.err);
    write(JSON.stringify(record) + "\n");
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (fields) => createLogger(level, { ...base, ...fields }, write, context),
    enabled: (lvl) => RANK[lvl] >= threshold,
  };
}
