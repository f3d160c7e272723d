import type { Overview } from "../adminApi.ts";
import { clock, figure } from "../format.ts";

const WIDTH = 600;
const HEIGHT = 160;

/** 1, 2, 5, 10, 20, 50…: a scale a reader can take in at a glance, never below 1 order/s. */
function niceCeiling(value: number) {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * magnitude).find((step) => step >= value)!;
}

/**
 * Orders per second, one bar per interval, drawn as SVG by hand (no chart library in the bundle).
 * It stretches to the width of its box; the labels are HTML, so they never stretch with it.
 */
export function OrdersChart({ rate }: { rate: NonNullable<Overview["ordersPerSecond"]> }) {
  const perSecond = rate.buckets.map((b) => b.count / rate.bucketSeconds);
  const peak = Math.max(0, ...perSecond);
  const top = niceCeiling(peak);
  const slot = WIDTH / Math.max(1, perSecond.length);
  const minutes = Math.round((rate.buckets.length * rate.bucketSeconds) / 60);
  const latest = perSecond.at(-1) ?? 0;
  return (
    <figure class="chart">
      <figcaption id="orders-chart-caption">
        Orders per second, last {minutes} minutes: now {figure(latest)}/s, peak {figure(peak)}/s
      </figcaption>
      <div class="chart-frame">
        <span class="chart-top" aria-hidden="true">{figure(top)}/s</span>
        <svg class="chart-svg" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-labelledby="orders-chart-caption">
          <line class="chart-rule" x1="0" x2={WIDTH} y1="0.5" y2="0.5" />
          <line class="chart-rule" x1="0" x2={WIDTH} y1={HEIGHT / 2} y2={HEIGHT / 2} />
          <line class="chart-base" x1="0" x2={WIDTH} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} />
          {perSecond.map((value, i) => {
            const height = (value / top) * HEIGHT;
            return (
              <rect key={rate.buckets[i]!.at} class="chart-bar" x={i * slot + 0.5} y={HEIGHT - height} width={Math.max(1, slot - 1)} height={height}>
                <title>{`${clock(rate.buckets[i]!.at)}: ${figure(value)} orders/s`}</title>
              </rect>
            );
          })}
        </svg>
      </div>
      <div class="chart-axis" aria-hidden="true"><span>{minutes} min ago</span><span>now</span></div>
    </figure>
  );
}
