import type { DeadLetter, Overview } from "../src/operations/schemas.ts";
import type { StockMovement } from "../src/catalog/schemas.ts";
import { apiWith } from "./api.ts";

export type { DeadLetter, Overview, StockMovement };

const KEY = "shop.admin-token";

/**
 * The admin token, for this tab only: sessionStorage forgets it when the tab closes. The sid cookie
 * is not an admin's, so the token is sent as a header on every admin request.
 */
export const adminToken = {
  read: (): string | null => {
    try { return sessionStorage.getItem(KEY); } catch { return null; }
  },
  save: (token: string) => {
    // Forbidden storage still leaves the page working until it is reloaded.
    try { sessionStorage.setItem(KEY, token); } catch {}
  },
  forget: () => {
    try { sessionStorage.removeItem(KEY); } catch {}
  },
};

/** The admin's routes (/api/admin), the token sent with every request. */
export const adminApi = (token: string) => apiWith({ Authorization: `Bearer ${token}` }).admin;
export type AdminApi = ReturnType<typeof adminApi>;
