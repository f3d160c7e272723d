import type { MiddlewareHandler } from "hono";
import type * as v from "valibot";

type Fields = v.ObjectSchema<v.ObjectEntries, undefined>;

/**
 * What one part of a route (a validator, or the route's own declaration) tells the API document
 * about it. The document is made of these and nothing else, so a route says what it checks and
 * answers where it is declared, and a parameter is described by the schema that checks it.
 */
export type RoutePart = {
  summary?: string;
  description?: string;
  /** Only with the admin token. */
  admin?: true;
  path?: Fields;
  query?: Fields;
  header?: { name: string; schema: v.GenericSchema };
  body?: v.GenericSchema;
  /** By status; each route's own answers override what every route answers. */
  responses?: Record<number, object>;
  /**
   * Documented at the route's path with its last segment replaced by this: for one route that
   * answers a fixed segment beside its parameter (products.ts says why).
   */
  segment?: string;
};

const PART = Symbol("route part");

/** `handler`, carrying what it tells the document; Hono keeps the very function in `app.routes`. */
export const described = <H extends object>(handler: H, part: RoutePart): H => Object.assign(handler, { [PART]: part });

export const partOf = (handler: object): RoutePart | undefined => (handler as { [PART]?: RoutePart })[PART];

/** A route's summary and answers, as the first of its handlers: it does nothing but pass the request on. */
export const documented = (part: RoutePart): MiddlewareHandler => described((_c, next) => next(), part);
