// bun-types describes `with { type }` imports only to TypeScript 7.1+; these say what Bun gives.
declare module "*.svg" { const path: string; export default path; }
declare module "*.sql" { const text: string; export default text; }
declare module "kafkajs/src/network/requestQueue/index.js" { const RequestQueue: unknown; export default RequestQueue; }
declare module "kafkajs/src/producer/partitioners/default/murmur2.js" { const murmur2: (key: Buffer | string) => number; export default murmur2; }
declare module "kafkajs/src/producer/sendMessages.js" {
  const createSendMessages: (options: object) => (request: { acks: number; timeout: number; topicMessages: { topic: string; messages: object[] }[] }) => Promise<{ partition: number }[]>;
  export default createSendMessages;
}
declare module "kafkajs/src/retry/index.js" { const createRetry: (options: object) => unknown; export default createRetry; }
declare module "kafkajs/src/protocol/decoder.js" {
  export default class Decoder { constructor(buffer: Buffer); offset: number; readVarInt(): number; readBytes(length: number): Buffer }
}
declare module "kafkajs/src/protocol/recordBatch/record/v0/index.js" {
  type Encoded = { buf: Buffer; buffer: Buffer };
  const encodeRecord: (record: { offsetDelta?: number; timestampDelta?: number; key: string | Buffer | null; value: string | Buffer | null; headers?: Record<string, string> }) => Encoded;
  export default encodeRecord;
}
declare module "kafkajs/src/protocol/recordBatch/record/v0/decoder.js" {
  const decodeRecord: (decoder: unknown, batch: { firstOffset: string; firstTimestamp: string; magicByte: number }) => {
    key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | Buffer[]>; offset: string; timestamp: string;
  };
  export default decodeRecord;
}
