// Compiles the shop into one self-contained executable: server, storefront and migrations.
// `bun scripts/build.ts [outfile]`: dist/shop unless told, so a bench or a test can build its own.
import { extname } from "node:path";

const outfile = process.argv[2] ?? "./dist/shop";

/** The storefront's JS and CSS together, gzipped: what a first visit downloads before any image. */
const STOREFRONT_BUDGET_BYTES = 50 * 1024;
/**
 * Bun's HTTP parser answers requests with larger headers itself, with a bare 431 and no code of
 * ours run. Raised above the app's own limit (MAX_HEADER_BYTES, 16 KiB, in src/http/app.ts) so that
 * headers between the two get the contract's error envelope; past this a request is an attack and
 * is cut short without one, as RFC 6585 advises.
 */
const PARSER_HEADER_BYTES = 128 * 1024;

const result = await Bun.build({
  entrypoints: ["./src/main.ts"],
  compile: { outfile, execArgv: [`--max-http-header-size=${PARSER_HEADER_BYTES}`] },
  conditions: ["module"],
  minify: true,
  sourcemap: "linked",
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
console.log(`built ${outfile}`);

// The compiled binary does not expose its embedded chunks, so the storefront is bundled once more,
// the same way (for the browser, minified), to be measured.
const storefront = await Bun.build({ entrypoints: ["./public/index.html"], target: "browser", minify: true });
if (!storefront.success) {
  for (const log of storefront.logs) console.error(log);
  process.exit(1);
}
const gzipped = { ".js": 0, ".css": 0 };
for (const output of storefront.outputs) {
  const ext = extname(output.path);
  if (ext === ".js" || ext === ".css") gzipped[ext] += Bun.gzipSync(new Uint8Array(await output.arrayBuffer())).length;
}
const total = gzipped[".js"] + gzipped[".css"];
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`storefront gzipped: JS ${kb(gzipped[".js"])} + CSS ${kb(gzipped[".css"])} = ${kb(total)} (budget ${kb(STOREFRONT_BUDGET_BYTES)})`);
if (total > STOREFRONT_BUDGET_BYTES) {
  console.error("storefront is over its size budget");
  process.exit(1);
}
