import { context, propagation, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from "@opentelemetry/sdk-trace-base";
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { DecidedIds, decideRequests } from "./requestTrace.ts";

export type TracingSettings = {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's OTLP/HTTP base address; unset, no trace is made. */
  endpoint?: string;
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: the traces address itself, /v1/traces included. */
  tracesEndpoint?: string;
  serviceName: string;
  /** The share of new traces kept, where the caller did not decide (parent-based). */
  sampleRatio: number;
  version: string;
  /** OTEL_TRACES_SAMPLER and OTEL_SDK_DISABLED as given: the SDK's own names for its own choices. */
  env: Record<string, string | undefined>;
};

export type Tracing = { enabled: boolean; shutdown(): Promise<void> };

const OFF: Tracing = { enabled: false, shutdown: async () => {} };

/**
 * OpenTelemetry's SDK, registered as the API's global tracer, propagator and context manager, so
 * that every span the shop starts (and a library's, should one make any) goes to the collector.
 * Without an endpoint nothing is registered: the API stays its no-op self and the code that makes
 * spans is not run at all (see `tracingOn`), which is what "off costs nothing" asks.
 */
export function startTracing(settings: TracingSettings): Tracing {
  const url = settings.tracesEndpoint ?? (settings.endpoint && `${settings.endpoint.replace(/\/$/, "")}/v1/traces`);
  if (!url || settings.env.OTEL_SDK_DISABLED === "true") return OFF;
  const ids = new DecidedIds();
  // OTEL_TRACES_SAMPLER, when set, is the SDK's to read, with OTEL_TRACES_SAMPLER_ARG as the SDK
  // reads it; unset, the shop's default keeps 1 % of new traces and follows any caller's choice.
  const root = settings.env.OTEL_TRACES_SAMPLER === undefined ? new TraceIdRatioBasedSampler(settings.sampleRatio) : undefined;
  const provider = new BasicTracerProvider({
    idGenerator: ids,
    resource: defaultResource()
      .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName, [ATTR_SERVICE_VERSION]: settings.version, [ATTR_SERVICE_INSTANCE_ID]: crypto.randomUUID() }))
      // OTEL_RESOURCE_ATTRIBUTES, as the specification has the SDK read it.
      .merge(detectResources({ detectors: [envDetector] })),
    ...(root && { sampler: new ParentBasedSampler({ root }) }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  decideRequests(root && { root, ids });
  on = true;
  return {
    enabled: true,
    async shutdown() {
      await provider.shutdown();
      decideRequests(undefined);
      on = false;
    },
  };
}

let on = false;

/** Whether spans are made at all: code that would only feed the no-op API asks first. */
export const tracingOn = () => on;
