import type { Overview } from "../adminApi.ts";
import { figure } from "../format.ts";

/** A topic name that may wrap before its dots on a narrow screen, and still copies as itself. */
const wrappable = (name: string) => name.split(".").flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, `.${part}`]));

/**
 * How far each consumer group trails its topic: a row per partition, a column per group, and each
 * group's total at the foot. A partition a topic does not have shows a dash.
 */
export function LagTable({ lag }: { lag: Overview["consumerLag"] }) {
  if (lag === null) return <p class="notice notice-quiet">Kafka did not answer in time: the lag is unknown for now.</p>;
  const groups = [...new Map(lag.map((l) => [l.group, l.topic]))].sort(([a], [b]) => a.localeCompare(b));
  const partitions = [...new Set(lag.map((l) => l.partition))].sort((a, b) => a - b);
  const at = new Map(lag.map((l) => [`${l.group}/${l.partition}`, l.lag]));
  const total = (group: string) => lag.filter((l) => l.group === group).reduce((sum, l) => sum + l.lag, 0);
  return (
    <>
      <p class="muted">Messages each group has not processed yet, by partition.</p>
      <div class="table-scroll" role="region" aria-labelledby="lag-caption" tabIndex={0}>
        <table class="data-table lag-table">
          <caption id="lag-caption" class="visually-hidden">Consumer lag by partition</caption>
          <thead>
            <tr>
              <th scope="col">Partition</th>
              {groups.map(([group, topic]) => (
                <th scope="col" key={group} class="numeric" data-group={group}>{group}<span class="topic">{wrappable(topic)}</span></th>
              ))}
            </tr>
          </thead>
          <tbody>
            {partitions.map((partition) => (
              <tr key={partition} data-partition={partition}>
                <th scope="row">{partition}</th>
                {groups.map(([group]) => {
                  const behind = at.get(`${group}/${partition}`);
                  return <td key={group} class={behind ? "numeric behind" : "numeric"}>{behind === undefined ? "—" : figure(behind)}</td>;
                })}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All</th>
              {groups.map(([group]) => <td key={group} class="numeric" data-group-total={group}>{figure(total(group))}</td>)}
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}
