import { useEffect, useRef, useState } from "preact/hooks";
import { answer, api, type Product } from "../api.ts";
import { money } from "../format.ts";
import { navigate } from "../router.tsx";

/** Suggestions wait for a shorter pause than the results below them: they are what one types towards. */
const SUGGEST_PAUSE_MS = 150;
/** One letter matches most of a catalog: nothing worth suggesting. */
const MIN_LETTERS = 2;
const SUGGESTIONS = 6;

type Props = { id: string; value: string; onInput: (value: string) => void; placeholder?: string };

/**
 * The search box as a combobox (WAI-ARIA 1.2, list autocomplete): as one types, the names of the
 * best-matching products show below it; arrow keys move through them (the input keeps focus and
 * names the active one), Enter opens that product's page, Escape closes the list. A pointer can
 * pick one too. Typing on without picking leaves the results page to follow the box as before.
 */
export function SearchSuggestions({ id, value, onInput, placeholder }: Props) {
  const [suggested, setSuggested] = useState<{ for: string; items: Product[] }>({ for: "", items: [] });
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const asked = useRef("");
  const list = `${id}-suggestions`;
  const q = value.trim();

  useEffect(() => {
    setActive(-1);
    if (q.replace(/[^\p{L}\p{N}]/gu, "").length < MIN_LETTERS) {
      asked.current = "";
      setSuggested({ for: "", items: [] });
      return;
    }
    const timer = setTimeout(() => {
      asked.current = q;
      answer(api.products.$get({ query: { q, limit: String(SUGGESTIONS) } })).then(
        (page) => { if (asked.current === q) setSuggested({ for: q, items: page.items }); },
        // The results below say what went wrong; a suggestion list just stays away.
        () => { if (asked.current === q) setSuggested({ for: q, items: [] }); },
      );
    }, SUGGEST_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [q]);

  const items = suggested.for === q ? suggested.items : [];
  const expanded = open && items.length > 0;
  const choose = (product: Product) => {
    setOpen(false);
    navigate(`/products/${product.slug}`);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (items.length === 0) return;
      event.preventDefault();
      setOpen(true);
      // -1 is the box itself: past either end of the list, the arrows come back to what was typed.
      const down = event.key === "ArrowDown";
      setActive((now) => {
        if (!expanded) return down ? 0 : items.length - 1;
        const next = now + (down ? 1 : -1);
        return next >= items.length ? -1 : next < -1 ? items.length - 1 : next;
      });
    } else if (event.key === "Enter" && expanded && items[active]) {
      event.preventDefault();
      choose(items[active]!);
    } else if (event.key === "Escape" && expanded) {
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };

  return (
    <div class="suggest">
      <input id={id} type="text" enterKeyHint="search" name="q" value={value} maxLength={100} autoComplete="off" placeholder={placeholder}
        role="combobox" aria-autocomplete="list" aria-expanded={expanded} aria-controls={list}
        aria-activedescendant={expanded && active >= 0 ? `${list}-${active}` : undefined}
        onInput={(event) => { onInput(event.currentTarget.value); setOpen(true); }}
        onKeyDown={onKeyDown} onFocus={() => setOpen(true)} onBlur={() => setOpen(false)} />
      <ul id={list} role="listbox" aria-label="Suggested products" class="suggestions" hidden={!expanded}>
        {items.map((product, i) => (
          <li key={product.id} id={`${list}-${i}`} role="option" aria-selected={i === active} class={i === active ? "active" : undefined}
            // Before the input's blur closes the list, so the click lands on the option.
            onMouseDown={(event) => event.preventDefault()} onClick={() => choose(product)}>
            <span class="suggestion-name">{product.name}</span> <span class="suggestion-price">{money(product.priceCents)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
