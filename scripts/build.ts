// Compiles the shop into one self-contained executable: server, storefront and migrations.
const result = await Bun.build({
  entrypoints: ["./src/main.ts"],
  compile: { outfile: "./dist/shop" },
  minify: true,
  sourcemap: "linked",
});
if (!result.success) {
  for (const log of result.logs) console.error(log);
  process.exit(1);
}
console.log("built dist/shop");

export {};
