/** The API's shapes are the server's own: a field renamed there fails the storefront's typecheck. */
import type { Product } from "../src/catalog/schemas.ts";
import type { ErrorBody, Issue } from "../src/http/contract.ts";
import type { Order, OrderAccepted, PlaceOrderRequest, StatusEvent } from "../src/orders/schemas.ts";
import type { InferInput } from "valibot";

export type { Issue, Order, OrderAccepted, Product, StatusEvent };
export type { OrderStatus, RejectionReason } from "../src/orders/status.ts";
export { isTerminal } from "../src/orders/status.ts";
/** What the storefront sends to POST /api/orders. */
export type PlaceOrderBody = InferInput<typeof PlaceOrderRequest>;

/** Status 0 and code "offline" stand for a request that got no answer at all. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly issues: Issue[] = [], readonly reason?: string) {
    super(message);
  }
}

/** Same-origin JSON requests; every failure, network ones included, becomes an ApiError. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { Accept: "application/json", ...init.headers } });
  } catch {
    throw new ApiError(0, "offline", "The shop did not answer.");
  }
  if (response.ok) return response.json() as Promise<T>;
  const body = await response.json().catch(() => undefined) as Partial<ErrorBody> | undefined;
  throw new ApiError(response.status, body?.error?.code ?? "internal", body?.error?.message ?? `HTTP ${response.status}`, body?.error?.issues, body?.error?.reason);
}
