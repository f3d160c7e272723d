// Static imports with { type: "file" } so `bun build --compile` embeds these SVGs in the binary; values are embedded paths for Bun.file().
import assamBreakfast from "./assam-breakfast.svg" with { type: "file" };
import ceramicDripper from "./ceramic-dripper.svg" with { type: "file" };
import ceremonialMatcha from "./ceremonial-matcha.svg" with { type: "file" };
import colombiaHuila from "./colombia-huila.svg" with { type: "file" };
import ethiopiaYirgacheffe from "./ethiopia-yirgacheffe.svg" with { type: "file" };
import glassTeapot from "./glass-teapot.svg" with { type: "file" };
import gooseneckKettle from "./gooseneck-kettle.svg" with { type: "file" };
import houseEspresso from "./house-espresso.svg" with { type: "file" };
import panamaGeisha from "./panama-geisha.svg" with { type: "file" };
import silverNeedle from "./silver-needle.svg" with { type: "file" };
import stonewareMug from "./stoneware-mug.svg" with { type: "file" };
import ujiSencha from "./uji-sencha.svg" with { type: "file" };

export const productImages: Record<string, string> = {
  "/images/assam-breakfast.svg": assamBreakfast,
  "/images/ceramic-dripper.svg": ceramicDripper,
  "/images/ceremonial-matcha.svg": ceremonialMatcha,
  "/images/colombia-huila.svg": colombiaHuila,
  "/images/ethiopia-yirgacheffe.svg": ethiopiaYirgacheffe,
  "/images/glass-teapot.svg": glassTeapot,
  "/images/gooseneck-kettle.svg": gooseneckKettle,
  "/images/house-espresso.svg": houseEspresso,
  "/images/panama-geisha.svg": panamaGeisha,
  "/images/silver-needle.svg": silverNeedle,
  "/images/stoneware-mug.svg": stonewareMug,
  "/images/uji-sencha.svg": ujiSencha,
};
