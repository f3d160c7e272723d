// kafkajs 2.2.4 re-arms a timer on every broker connection after each check of its request queue,
// and with nothing pending the delay is a large negative number, which runtimes clamp to 1 ms:
// each connection then wakes a thousand times a second for nothing, a quarter of a core at idle
// (tulios/kafkajs#1751, #1704). With no pending request there is nothing to schedule: a request
// queued later schedules its own check.
import RequestQueue from "kafkajs/src/network/requestQueue/index.js";

type Queue = { pending: unknown[]; scheduleCheckPendingRequests(): void };

const proto = (RequestQueue as unknown as { prototype: Queue }).prototype;
const schedule = proto.scheduleCheckPendingRequests;
proto.scheduleCheckPendingRequests = function (this: Queue) {
  if (this.pending.length > 0) schedule.call(this);
};
