import type { Overview } from "../adminApi.ts";
import { figure } from "../format.ts";

const shown = (n: number | null) => (n === null ? "unknown" : figure(n));

/**
 * The customer mails: sent, refused for good, and waiting for the notifier. Pending grows while the
 * SMTP server is down; the orders go on meanwhile, which is why this panel, not /readyz, says so.
 */
export function MailCounts({ mails }: { mails: Overview["mails"] }) {
  return (
    <>
      {mails.stalled && (
        <p class="notice notice-error" role="status" data-mail-stalled>
          The notifier has mailed nothing for 30 s while mail waits: the SMTP server is down or refusing. Orders go on; the mails follow once it is back.
        </p>
      )}
      <dl class="stats">
        <div class="stat stat-ok" data-stat="mails-sent"><dt>Sent</dt><dd>{shown(mails.sent)}</dd></div>
        <div class={mails.failed ? "stat stat-bad" : "stat"} data-stat="mails-failed"><dt>Failed</dt><dd>{shown(mails.failed)}</dd></div>
        <div class={mails.pending ? "stat stat-warn" : "stat"} data-stat="mails-pending"><dt>Pending</dt><dd>{shown(mails.pending)}</dd></div>
      </dl>
    </>
  );
}
