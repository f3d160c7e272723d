import { Lru } from "./lru.ts";

export type BucketOptions = {
  /** Requests allowed at once: the bucket starts full. */
  capacity: number;
  /** Tokens added back per second, up to the capacity. */
  perSecond: number;
  /** Clients remembered at most; see Lru. */
  maxKeys?: number;
};

/**
 * Token buckets, one per key (a session, an address): each request takes a token, tokens come back
 * at a steady rate, so a client may burst up to the capacity and then goes at the rate.
 */
export class TokenBuckets {
  private readonly buckets: Lru<string, { tokens: number; at: number }>;

  constructor(private readonly options: BucketOptions) {
    this.buckets = new Lru(options.maxKeys ?? 100_000);
  }

  /** 0 when a token was taken; otherwise the seconds until one is there (nothing is taken then). */
  take(key: string, nowMs: number): number {
    const { capacity, perSecond } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: nowMs };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.at) / 1000) * perSecond);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return (1 - bucket.tokens) / perSecond;
  }
}
