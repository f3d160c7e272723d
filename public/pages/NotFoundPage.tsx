import { Page } from "../components/Page.tsx";
import { Link } from "../router.tsx";

export function NotFoundPage() {
  return (
    <Page title="Page not found">
      <div class="empty">
        <p>There's nothing at this address. Perhaps a cup of something will help.</p>
        <Link href="/" class="button">Back to the shop</Link>
      </div>
    </Page>
  );
}
