/** At or below this many left, a card says how many remain. */
const LOW_STOCK = 5;

export function StockBadge({ stock }: { stock: number }) {
  if (stock <= 0) return <span class="badge badge-out">Sold out</span>;
  if (stock <= LOW_STOCK) return <span class="badge badge-low">Only {stock} left</span>;
  return <span class="badge badge-in">In stock</span>;
}
