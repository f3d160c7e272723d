import pkg from "../package.json";
import { ConfigError, describeSettings, loadConfig, parseFlags } from "./config.ts";
import { connect } from "./db/client.ts";
import { migrate } from "./db/migrate.ts";
import { createLogger } from "./log.ts";
import { startShop } from "./shop.ts";
import { startTracing } from "./tracing/setup.ts";
import { activeTraceId } from "./tracing/spans.ts";

const HELP = `shop ${pkg.version}: an event-driven storefront on Kafka and PostgreSQL

Usage: shop [serve|migrate] [options]
  serve     run the roles in ROLES (default)
  migrate   apply the database migrations and exit

Options (each overrides the environment variable of the same name):
${describeSettings([["-h, --help", "this text"], ["-v, --version", "the version"]])}
`;

/** Past this, a stop that hangs is cut short: orchestrators kill at about ten seconds anyway. */
const STOP_DEADLINE_MS = 9_000;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv);
  if (values.help) return void process.stdout.write(HELP), 0;
  if (values.version) return void process.stdout.write(`${pkg.version}\n`), 0;
  const command = positionals[0] ?? "serve";
  if (!["serve", "migrate"].includes(command) || positionals.length > 1) throw new ConfigError(`unknown command: ${positionals.join(" ")} (try --help)`);

  const config = loadConfig(process.env, values);
  const tracing = command === "serve" ? startTracing({
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, tracesEndpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
    serviceName: config.OTEL_SERVICE_NAME, sampleRatio: config.OTEL_TRACES_SAMPLER_ARG, version: pkg.version, env: process.env,
  }) : undefined;
  const traceOfLine = () => {
    const traceId = activeTraceId();
    return traceId ? { trace_id: traceId } : undefined;
  };
  const log = createLogger(config.LOG_LEVEL, {}, undefined, tracing?.enabled ? traceOfLine : undefined);
  if (tracing?.enabled) log.info("tracing on", { service: config.OTEL_SERVICE_NAME, sampleRatio: process.env.OTEL_TRACES_SAMPLER ?? config.OTEL_TRACES_SAMPLER_ARG });

  if (command === "migrate") {
    const sql = connect(config.DATABASE_URL, log, 1);
    await migrate(sql, log);
    await sql.end();
    return 0;
  }

  const shop = await startShop(config, log);
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info("stopping", { signal });
      const deadline = setTimeout(() => { log.error("stop took too long, exiting"); resolve(1); }, STOP_DEADLINE_MS);
      // The spans of the last requests and batches go to the collector before the process ends.
      shop.stop().then(() => tracing?.shutdown()).then(
        () => { clearTimeout(deadline); log.info("stopped"); resolve(0); },
        (error) => { clearTimeout(deadline); log.error("stop failed", { err: error }); resolve(1); },
      );
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
  });
}

main(Bun.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`shop: ${(error as Error).message}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
