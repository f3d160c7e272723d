import type { ApiError } from "../api.ts";

/** What a customer can do about each kind of failure, in their words rather than the API's. */
function explain(error: ApiError): { title: string; detail: string } {
  if (error.code === "offline") {
    return { title: "We can't reach the shop right now", detail: "Your connection may have dropped, or we may be restarting. Nothing you've done is lost." };
  }
  if (error.code === "unavailable") {
    return { title: "The shop is catching its breath", detail: "Part of our system is briefly unavailable. Nothing you've done is lost; please try again in a moment." };
  }
  return { title: "Something went wrong", detail: "We couldn't load this. Please try again." };
}

/** Announced at once (role="alert"); always offers a way forward. */
export function Failure({ error, onRetry, detail }: { error: ApiError; onRetry: () => void; detail?: string }) {
  const explained = explain(error);
  return (
    <div class="notice notice-error" role="alert">
      <h2>{explained.title}</h2>
      <p>{detail ?? explained.detail}</p>
      <button type="button" class="button" onClick={onRetry}>Try again</button>
    </div>
  );
}
