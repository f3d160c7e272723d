// Text imports put the SQL inside the compiled binary; numbered names fix the order they run in.
import init from "./001_init.sql" with { type: "text" };
import seedCatalog from "./002_seed_catalog.sql" with { type: "text" };
import deadLetters from "./003_dead_letters.sql" with { type: "text" };
import sessionSecret from "./004_session_secret.sql" with { type: "text" };
import stockLedger from "./005_stock_ledger.sql" with { type: "text" };
import cheaperWrites from "./006_cheaper_writes.sql" with { type: "text" };
import lifecycle from "./007_lifecycle.sql" with { type: "text" };
import orderFilters from "./008_order_filters.sql" with { type: "text" };
import productSearch from "./009_product_search.sql" with { type: "text" };
import categories from "./010_categories.sql" with { type: "text" };
import productSlugs from "./011_product_slugs.sql" with { type: "text" };
import notifications from "./012_notifications.sql" with { type: "text" };
import searchTiers from "./013_search_tiers.sql" with { type: "text" };
import categoryOrders from "./014_category_orders.sql" with { type: "text" };
import productSlugPlans from "./015_product_slug_plans.sql" with { type: "text" };
import orderTraces from "./016_order_traces.sql" with { type: "text" };

export const migrations: readonly { version: number; name: string; sql: string }[] = [
  { version: 1, name: "001_init", sql: init },
  { version: 2, name: "002_seed_catalog", sql: seedCatalog },
  { version: 3, name: "003_dead_letters", sql: deadLetters },
  { version: 4, name: "004_session_secret", sql: sessionSecret },
  { version: 5, name: "005_stock_ledger", sql: stockLedger },
  { version: 6, name: "006_cheaper_writes", sql: cheaperWrites },
  { version: 7, name: "007_lifecycle", sql: lifecycle },
  { version: 8, name: "008_order_filters", sql: orderFilters },
  { version: 9, name: "009_product_search", sql: productSearch },
  { version: 10, name: "010_categories", sql: categories },
  { version: 11, name: "011_product_slugs", sql: productSlugs },
  { version: 12, name: "012_notifications", sql: notifications },
  { version: 13, name: "013_search_tiers", sql: searchTiers },
  { version: 14, name: "014_category_orders", sql: categoryOrders },
  { version: 15, name: "015_product_slug_plans", sql: productSlugPlans },
  { version: 16, name: "016_order_traces", sql: orderTraces },
];
