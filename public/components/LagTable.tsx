import type { Overview } from "../adminApi.ts";
import { figure } from "../format.ts";

/** A topic name that may wrap before its dots on a narrow screen, and still copies as itself. */
const wrappable = (name: string) => name.split(".").flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, `.${part}`]));

/**
 * How far each consumer group trails each of its topics: a row per partition, a column per group and
 * topic (the notifier reads four), and each column's total at the foot. A partition a topic does not
 * have shows a dash.
 */
export function LagTable({ lag }: { lag: Overview["consumerLag"] }) {
  if (lag === null) return <p class="notice notice-quiet">Kafka did not answer in time: the lag is unknown for now.</p>;
  const columnOf = (l: { group: string; topic: string }) => `${l.group} ${l.topic}`;
  const columns = [...new Map(lag.map((l) => [columnOf(l), { group: l.group, topic: l.topic, key: columnOf(l) }])).values()]
    .sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic));
  const partitions = [...new Set(lag.map((l) => l.partition))].sort((a, b) => a - b);
  const at = new Map(lag.map((l) => [`${columnOf(l)}/${l.partition}`, l.lag]));
  const total = (column: string) => lag.filter((l) => columnOf(l) === column).reduce((sum, l) => sum + l.lag, 0);
  return (
    <>
      <p class="muted">Messages each group has not processed yet, by partition.</p>
      <div class="table-scroll" role="region" aria-labelledby="lag-caption" tabIndex={0}>
        <table class="data-table lag-table">
          <caption id="lag-caption" class="visually-hidden">Consumer lag by partition</caption>
          <thead>
            <tr>
              <th scope="col">Partition</th>
              {columns.map(({ group, topic, key }) => (
                <th scope="col" key={key} class="numeric" data-group={group}>{group}<span class="topic">{wrappable(topic)}</span></th>
              ))}
            </tr>
          </thead>
          <tbody>
            {partitions.map((partition) => (
              <tr key={partition} data-partition={partition}>
                <th scope="row">{partition}</th>
                {columns.map(({ key }) => {
                  const behind = at.get(`${key}/${partition}`);
                  return <td key={key} class={behind ? "numeric behind" : "numeric"}>{behind === undefined ? "—" : figure(behind)}</td>;
                })}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">All</th>
              {columns.map(({ group, key }) => <td key={key} class="numeric" data-group-total={group}>{figure(total(key))}</td>)}
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}
