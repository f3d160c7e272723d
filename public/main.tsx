import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

type Product = { id: string; name: string; description: string; priceCents: number; stock: number; imageUrl: string };
type Status = { id: string; status: string; reason?: string };

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

function App() {
  const [products, setProducts] = useState<Product[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cart, setCart] = useState<Record<string, number>>({});
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [order, setOrder] = useState<Status | null>(null);

  useEffect(() => {
    fetch("/api/products").then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then(setProducts, (e: Error) => setError(`The shop is unavailable (${e.message}).`));
  }, []);

  useEffect(() => {
    if (!order) return;
    const events = new EventSource(`/api/orders/${order.id}/events`);
    events.addEventListener("status", (e) => setOrder(JSON.parse((e as MessageEvent).data)));
    return () => events.close();
  }, [order?.id]);

  const lines = Object.entries(cart).filter(([, q]) => q > 0);
  const total = lines.reduce((sum, [id, q]) => sum + q * (products?.find((p) => p.id === id)?.priceCents ?? 0), 0);

  async function placeOrder(e: Event) {
    e.preventDefault();
    setError(null);
    const response = await fetch("/api/orders", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ customer: { name, email }, items: lines.map(([productId, quantity]) => ({ productId, quantity })) }),
    });
    const body = await response.json();
    if (response.status !== 202) return setError(body.error?.message ?? "The order failed.");
    setCart({});
    setOrder({ id: body.id, status: "pending" });
  }

  return (
    <>
      <header><h1>Shop</h1><span aria-label="items in cart">Cart: {lines.reduce((n, [, q]) => n + q, 0)}</span></header>
      <main>
        <section aria-label="Products" class="grid">
          {products?.map((p) => (
            <article class="card" key={p.id}>
              <img src={p.imageUrl} alt="" width={400} height={300} />
              <h2>{p.name}</h2>
              <p>{p.description}</p>
              <p>{money(p.priceCents)} · {p.stock > 0 ? `${p.stock} in stock` : "Sold out"}</p>
              <button disabled={p.stock === 0} onClick={() => setCart({ ...cart, [p.id]: (cart[p.id] ?? 0) + 1 })}>Add to cart</button>
            </article>
          ))}
        </section>
        <aside>
          <h2>Your cart</h2>
          {lines.length === 0 ? <p>Your cart is empty.</p> : (
            <ul>{lines.map(([id, q]) => <li key={id}>{q} × {products?.find((p) => p.id === id)?.name}</li>)}</ul>
          )}
          <p>Total: {money(total)}</p>
          <form onSubmit={placeOrder}>
            <label>Name <input required value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
            <label>Email <input required type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} /></label>
            <button type="submit" disabled={lines.length === 0}>Place order</button>
          </form>
          {error && <p class="error" role="alert">{error}</p>}
          {order && <p aria-live="polite">Order {order.id.slice(0, 8)}: <span class="status" data-status={order.status}>{order.status}</span>{order.reason ? ` (${order.reason})` : ""}</p>}
        </aside>
      </main>
    </>
  );
}

render(<App />, document.getElementById("app")!);
