import type { CreateProductRequest } from "../../src/catalog/schemas.ts";

/**
 * A shop's worth of products for benches and demos: coffees, teas and brewing gear, named as a
 * roaster names its lots. Deterministic: the same seed and count give the same products, so a
 * bench run can be repeated and two runs compared.
 */

const COFFEE_ORIGINS = ["Ethiopia Yirgacheffe", "Ethiopia Guji", "Kenya Nyeri", "Kenya Kirinyaga", "Colombia Huila", "Colombia Nariño",
  "Brazil Cerrado", "Brazil Mogiana", "Guatemala Huehuetenango", "Costa Rica Tarrazú", "Panama Boquete", "Rwanda Nyamasheke",
  "Burundi Kayanza", "Honduras Santa Bárbara", "El Salvador Santa Ana", "Peru Cajamarca", "Sumatra Aceh", "Yemen Haraz"];
const COFFEE_VARIETIES = ["Heirloom", "SL28", "Caturra", "Bourbon", "Geisha", "Pacamara", "Typica", "Castillo", "Catuaí", "Red Bourbon"];
const PROCESSES = ["Washed", "Natural", "Honey", "Anaerobic Natural", "Wet-hulled"];
const ROASTS = ["Light Roast", "Medium Roast", "Espresso Roast", "Filter Roast"];
const TEA_ORIGINS = ["Uji", "Shizuoka", "Darjeeling", "Assam", "Nilgiri", "Fujian", "Yunnan", "Anxi", "Wuyi", "Taiwan Alishan", "Ceylon Uva", "Kagoshima"];
const TEA_STYLES = ["Sencha", "Gyokuro", "Matcha", "First Flush", "Second Flush", "Breakfast", "Silver Needle", "White Peony",
  "Tieguanyin", "Da Hong Pao", "High Mountain Oolong", "Pu-erh", "Genmaicha", "Hojicha"];
const GEAR = ["Gooseneck Kettle", "Ceramic Dripper", "Glass Teapot", "Stoneware Mug", "Hand Grinder", "Cold Brew Jar", "Tea Strainer",
  "Milk Pitcher", "Pour-over Stand", "Scale", "Matcha Whisk", "Travel Tumbler"];
const MATERIALS = ["Matte Black", "Brushed Steel", "Walnut", "Porcelain", "Borosilicate", "Copper", "Speckled White", "Celadon"];
const NOTES = ["stone fruit", "dark chocolate", "jasmine", "bergamot", "brown sugar", "citrus zest", "red berries", "toasted nuts",
  "honey", "caramel", "umami", "orchid", "malt", "cedar", "apricot", "black tea"];
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

export type SyntheticProduct = CreateProductRequest & { kind: keyof typeof IMAGES };

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
    return product("coffee", sku, name, `Whole-bean coffee from ${origin}. Notes of ${notes}.`, 900 + Math.floor(next() * 3_100), next);
  }
  if (roll < 0.85) {
    const origin = pick(TEA_ORIGINS);
    const name = `${origin} ${pick(TEA_STYLES)} · Lot ${lot}`;
    return product("tea", sku, name, `Loose-leaf tea from ${origin}. In the cup: ${notes}.`, 600 + Math.floor(next() * 4_400), next);
  }
  const name = `${pick(GEAR)}, ${pick(MATERIALS)} · No. ${lot}`;
  return product("gear", sku, name, `Brewing gear that lasts, tested with our own ${pick(["coffee", "tea"])}.`, 1_500 + Math.floor(next() * 13_500), next);
}

function product(kind: SyntheticProduct["kind"], sku: string, name: string, description: string, priceCents: number, next: () => number): SyntheticProduct {
  // A few sold out and a few scarce, as in a real catalog, so stock badges and refusals show.
  const r = next();
  const stock = r < 0.05 ? 0 : r < 0.15 ? 1 + Math.floor(next() * 5) : 20 + Math.floor(next() * 480);
  return { kind, sku, name, description, priceCents, imageUrl: IMAGES[kind], stock, categoryId: null };
}
