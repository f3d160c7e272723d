/** The API's routes and shapes are the server's own: a path, field or parameter changed there fails the storefront's typecheck. */
import { hc, type ClientResponse } from "hono/client";
import type { SuccessStatusCode } from "hono/utils/http-status";
import type { Product } from "../src/catalog/schemas.ts";
import type { ListedCategory } from "../src/catalog/categories.ts";
import type { AppType } from "../src/http/app.ts";
import type { ErrorBody, Issue } from "../src/http/contract.ts";
import type { Order, OrderAccepted, PlaceOrderRequest, StatusEvent } from "../src/orders/schemas.ts";
import type { InferInput } from "valibot";

export type { Issue, ListedCategory, Order, OrderAccepted, Product, StatusEvent };
export type { OrderStatus, RejectionReason } from "../src/orders/status.ts";
export { isTerminal } from "../src/orders/status.ts";
/** What the storefront sends to POST /api/orders. */
export type PlaceOrderBody = InferInput<typeof PlaceOrderRequest>;

/** Same-origin requests to /api with `headers`, typed by the server's routes. */
export const apiWith = (headers: Record<string, string> = {}) => hc<AppType>("/", { headers: { Accept: "application/json", ...headers } }).api;

export const api = apiWith();

/** Status 0 and code "offline" stand for a request that got no answer at all. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly issues: Issue[] = [], readonly reason?: string) {
    super(message);
  }
}

/** A route of the typed client that answers GET, e.g. `api.orders[":id"]`. */
export type Gettable<A, R> = { $get(args: A): Promise<R>; $path(args: A): string };

/** What a request's successful answers hold; its failures are ApiErrors. */
export type Answer<R> = R extends ClientResponse<infer T, infer S, "json"> ? [Extract<S, SuccessStatusCode>] extends [never] ? never : T : never;

/** The body of a successful answer to `request`; every failure, network ones included, becomes an ApiError. */
export async function answer<R extends ClientResponse<unknown>>(request: Promise<R>): Promise<Answer<R>> {
  let response: R;
  try {
    response = await request;
  } catch {
    throw new ApiError(0, "offline", "The shop did not answer.");
  }
  if (response.ok) return response.json() as Promise<Answer<R>>;
  const body = await response.json().catch(() => undefined) as Partial<ErrorBody> | undefined;
  throw new ApiError(response.status, body?.error?.code ?? "internal", body?.error?.message ?? `HTTP ${response.status}`, body?.error?.issues, body?.error?.reason);
}
