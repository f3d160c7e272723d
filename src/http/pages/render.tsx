import { renderToString } from "preact-render-to-string";
import { App } from "../../../public/App.tsx";
import { PreloadContext, type Preloaded } from "../../../public/preload.ts";

/** The storefront's own components, rendered to HTML from `preloaded`, as the browser then hydrates them. */
export const renderApp = (preloaded: Preloaded) =>
  renderToString(<PreloadContext.Provider value={preloaded}><App /></PreloadContext.Provider>);
