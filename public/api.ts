/** The API's shapes, as the contract (shared/CONTRACT.md) describes them. */
export type Product = {
  id: string; sku: string; name: string; description: string;
  priceCents: number; currency: string; stock: number; imageUrl: string; archived: boolean;
};
export type OrderStatus = "pending" | "placed" | "confirmed" | "rejected";
export type RejectionReason = "out_of_stock" | "unknown_product" | "invalid_order";
type OrderItem = { productId: string; name: string; quantity: number; unitPriceCents: number };
export type Order = {
  id: string; status: OrderStatus; reason?: RejectionReason; customer: { name: string; email: string };
  items: OrderItem[]; totalCents: number; currency: string; createdAt: string; updatedAt: string;
};
export type StatusEvent = { id: string; status: OrderStatus; reason?: RejectionReason; at: string };
export type Issue = { path: string; message: string };

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
  const body = await response.json().catch(() => undefined) as { error?: { code?: string; reason?: string; message?: string; issues?: Issue[] } } | undefined;
  throw new ApiError(response.status, body?.error?.code ?? "internal", body?.error?.message ?? `HTTP ${response.status}`, body?.error?.issues, body?.error?.reason);
}

export const isTerminal = (status: OrderStatus) => status === "confirmed" || status === "rejected";
