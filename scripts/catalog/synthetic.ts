import type { CreateCategoryRequest } from "../../src/catalog/categories.ts";
import { categorySlugOf } from "../../src/catalog/fields.ts";
import type { CreateProductRequest } from "../../src/catalog/schemas.ts";

/**
 * A shop's worth of products for benches and demos: coffees, teas and brewing gear, named as a
 * roaster names its lots, each in the category a shop would shelve it in (coffees by country,
 * teas by kind, gear by what it is). Deterministic: the same seed and count give the same
 * products, so a bench run can be repeated and two runs compared.
 */

const COFFEE_ORIGINS = ["Ethiopia Yirgacheffe", "Ethiopia Guji", "Kenya Nyeri", "Kenya Kirinyaga", "Colombia Huila", "Colombia Nariño",
  "Brazil Cerrado", "Brazil Mogiana", "Guatemala Huehuetenango", "Costa Rica Tarrazú", "Panama Boquete", "Rwanda Nyamasheke",
  "Burundi Kayanza", "Honduras Santa Bárbara", "El Salvador Santa Ana", "Peru Cajamarca", "Sumatra Aceh", "Yemen Haraz"];
const COFFEE_VARIETIES = ["Heirloom", "SL28", "Caturra", "Bourbon", "Geisha", "Pacamara", "Typica", "Castillo", "Catuaí", "Red Bourbon"];
const PROCESSES = ["Washed", "Natural", "Honey", "Anaerobic Natural", "Wet-hulled"];
const ROASTS = ["Light Roast", "Medium Roast", "Espresso Roast", "Filter Roast"];
const TEA_ORIGINS = ["Uji", "Shizuoka", "Darjeeling", "Assam", "Nilgiri", "Fujian", "Yunnan", "Anxi", "Wuyi", "Taiwan Alishan", "Ceylon Uva", "Kagoshima"];
/** Each style of tea and the kind it is shelved with; in this order, the order the catalog picks them in. */
const TEA_KINDS: Record<string, string> = {
  Sencha: "Green tea", Gyokuro: "Green tea", Matcha: "Matcha", "First Flush": "Black tea", "Second Flush": "Black tea", Breakfast: "Black tea",
  "Silver Needle": "White tea", "White Peony": "White tea", Tieguanyin: "Oolong", "Da Hong Pao": "Oolong", "High Mountain Oolong": "Oolong",
  "Pu-erh": "Pu-erh", Genmaicha: "Green tea", Hojicha: "Green tea",
};
const TEA_STYLES = Object.keys(TEA_KINDS);
/** Each piece of gear and what it is shelved as; in the order the catalog picks them in. */
const GEAR_KINDS: Record<string, string> = {
  "Gooseneck Kettle": "Kettles", "Ceramic Dripper": "Pour-over", "Glass Teapot": "Teapots and strainers", "Stoneware Mug": "Mugs and tumblers",
  "Hand Grinder": "Grinders", "Cold Brew Jar": "Cold brew", "Tea Strainer": "Teapots and strainers", "Milk Pitcher": "Milk and espresso",
  "Pour-over Stand": "Pour-over", Scale: "Scales", "Matcha Whisk": "Matcha tools", "Travel Tumbler": "Mugs and tumblers",
};
const GEAR = Object.keys(GEAR_KINDS);
const MATERIALS = ["Matte Black", "Brushed Steel", "Walnut", "Porcelain", "Borosilicate", "Copper", "Speckled White", "Celadon"];
const NOTES = ["stone fruit", "dark chocolate", "jasmine", "bergamot", "brown sugar", "citrus zest", "red berries", "toasted nuts",
  "honey", "caramel", "umami", "orchid", "malt", "cedar", "apricot", "black tea"];
/** Each origin's country, as the coffees' categories are named. */
const COFFEE_COUNTRIES = ["Ethiopia", "Kenya", "Colombia", "Brazil", "Guatemala", "Costa Rica", "Panama", "Rwanda", "Burundi", "Honduras",
  "El Salvador", "Peru", "Sumatra", "Yemen"];

const coffeeCategory = (origin: string) => `Coffee from ${COFFEE_COUNTRIES.find((country) => origin.startsWith(country))!}`;
const category = (name: string): CreateCategoryRequest => ({ name, slug: categorySlugOf(name) });

/** The synthetic catalog's categories, the same whatever the seed: 14 countries' coffees, 6 kinds of tea, 9 of gear. */
export const syntheticCategories: readonly CreateCategoryRequest[] = [
  ...COFFEE_COUNTRIES.map((country) => category(`Coffee from ${country}`)),
  ...[...new Set(Object.values(TEA_KINDS))].map(category),
  ...[...new Set(Object.values(GEAR_KINDS))].map(category),
];

const IMAGES = { coffee: "/images/house-espresso.svg", tea: "/images/uji-sencha.svg", gear: "/images/ceramic-dripper.svg" } as const;

/** mulberry32: small, fast and the same on every runtime. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A product as the admin API takes it but for its category, named by slug: the shop gives each category its id. */
export type SyntheticProduct = Omit<CreateProductRequest, "categoryId"> & { kind: keyof typeof IMAGES; category: string };

/** Product `index` of the catalog made from `seed`: each product depends on its index alone, so any slice can be made on its own. */
export function syntheticProduct(seed: number, index: number): SyntheticProduct {
  const next = random(seed * 1_000_003 + index);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const lot = String(index + 1).padStart(6, "0");
  const sku = `SYN-${seed}-${lot}`;
  const roll = next();
  const notes = `${pick(NOTES)}, ${pick(NOTES)} and ${pick(NOTES)}`;
  if (roll < 0.45) {
    const origin = pick(COFFEE_ORIGINS);
    const name = `${origin} ${pick(COFFEE_VARIETIES)} ${pick(PROCESSES)}, ${pick(ROASTS)} · Lot ${lot}`;
    return product("coffee", coffeeCategory(origin), sku, name, `Whole-bean coffee from ${origin}. Notes of ${notes}.`, 900 + Math.floor(next() * 3_100), next);
  }
  if (roll < 0.85) {
    const origin = pick(TEA_ORIGINS);
    const style = pick(TEA_STYLES);
    const name = `${origin} ${style} · Lot ${lot}`;
    return product("tea", TEA_KINDS[style]!, sku, name, `Loose-leaf tea from ${origin}. In the cup: ${notes}.`, 600 + Math.floor(next() * 4_400), next);
  }
  const item = pick(GEAR);
  const name = `${item}, ${pick(MATERIALS)} · No. ${lot}`;
  return product("gear", GEAR_KINDS[item]!, sku, name, `Brewing gear that lasts, tested with our own ${pick(["coffee", "tea"])}.`, 1_500 + Math.floor(next() * 13_500), next);
}

function product(kind: SyntheticProduct["kind"], categoryName: string, sku: string, name: string, description: string, priceCents: number, next: () => number): SyntheticProduct {
  // A few sold out and a few scarce, as in a real catalog, so stock badges and refusals show.
  const r = next();
  const stock = r < 0.05 ? 0 : r < 0.15 ? 1 + Math.floor(next() * 5) : 20 + Math.floor(next() * 480);
  return { kind, category: categorySlugOf(categoryName), sku, name, description, priceCents, imageUrl: IMAGES[kind], stock };
}
