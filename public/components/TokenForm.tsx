import { useState } from "preact/hooks";

/** Asks for the admin token; says so plainly when the last one was refused. */
export function TokenForm({ denied, onToken }: { denied: boolean; onToken: (token: string) => void }) {
  const [token, setToken] = useState("");
  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (token.trim()) onToken(token.trim());
  };
  return (
    <form class="token-form" onSubmit={onSubmit}>
      {denied && (
        <div class="notice notice-error" role="alert">
          <h2>Access denied</h2>
          <p>The shop did not accept that token. Check the ADMIN_TOKEN the shop was started with and try again.</p>
        </div>
      )}
      <p>This page is for the people who run the shop. It needs the admin token, which this tab keeps until it is closed.</p>
      <div class="field">
        <label for="admin-token">Admin token</label>
        <input id="admin-token" type="password" autocomplete="current-password" spellcheck={false} required
          value={token} onInput={(event) => setToken(event.currentTarget.value)} />
      </div>
      <button type="submit" class="button">Open the operations page</button>
    </form>
  );
}
