import { hydrate, render } from "preact";
import { App } from "./App.tsx";
import { PreloadContext, PRELOADED_ID, spendPreload, type Preloaded } from "./preload.ts";

const root = document.getElementById("app")!;
const data = document.getElementById(PRELOADED_ID)?.textContent;
if (data) {
  // The server rendered this page (src/http/pages/): take over its HTML as it is, from the same data.
  const preloaded = JSON.parse(data) as Preloaded;
  hydrate(<PreloadContext.Provider value={preloaded}><App /></PreloadContext.Provider>, root);
  spendPreload();
} else {
  render(<App />, root);
}
