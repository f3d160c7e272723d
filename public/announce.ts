/**
 * Speaks a short message through the page's polite live region (in index.html, outside the app, so
 * it exists before anything is said and survives page changes).
 */
export function announce(message: string) {
  const region = document.getElementById("announcer");
  if (!region) return;
  // Screen readers skip a message identical to the last one; emptying the region first avoids that.
  region.textContent = "";
  requestAnimationFrame(() => { region.textContent = message; });
}
