/**
 * The lease a RedisEventStore or a RedisWorker holds while it runs: a key
 * with a time to live, renewed at a third of it, and membership in a set of
 * holders. With every renewal the holder also recovers what holders whose
 * lease lapsed (dead processes) left behind; what "recover" means (a hash of
 * in-flight events, a processing list) is the caller's Lua script, which
 * must itself check that the dead holder's lease key is gone.
 */
import type { Logger } from "../logger.js";
import type { RedisCommander } from "./connection.js";

export interface LeaseOptions {
  readonly redis: RedisCommander;
  readonly logger: Logger;
  /** For messages: "RedisEventStore", "RedisWorker". */
  readonly owner: string;
  /** This holder's id. */
  readonly id: string;
  /** The set of holders' ids. */
  readonly holdersKey: string;
  /** The lease key of a holder. */
  leaseKey(id: string): string;
  readonly leaseMs: number;
  /** Puts back what a dead holder left; answers how many events (negative or 0: nothing, or still alive). */
  recover(deadId: string): Promise<number>;
  /** Said when events were recovered. */
  recovered(count: number): string;
}

export interface Lease {
  /** Takes the lease, joins the holders, recovers what dead ones left, and renews until released. */
  start(): Promise<void>;
  /** Recovers what holders whose lease lapsed left; answers how many events. */
  recoverDead(): Promise<number>;
  /** Stops renewing and gives the lease up (the caller hands back what it holds first). */
  release(): Promise<void>;
}

export function createLease(options: LeaseOptions): Lease {
  const { redis, logger, owner, id, holdersKey, leaseMs } = options;
  let timer: ReturnType<typeof setInterval> | undefined;
  const renew = async (): Promise<void> => {
    await redis.sendCommand(["SET", options.leaseKey(id), "1", "PX", String(leaseMs)]);
  };
  const lease: Lease = {
    async start() {
      await renew();
      await redis.sendCommand(["SADD", holdersKey, id]);
      await lease.recoverDead();
      timer = setInterval(() => {
        void renew().then(() => lease.recoverDead()).catch((error: unknown) => logger.warn(`${owner}: lease renewal failed`, { error: String(error) }));
      }, Math.max(50, Math.floor(leaseMs / 3)));
      timer.unref?.();
    },
    async recoverDead() {
      const holders = (await redis.sendCommand(["SMEMBERS", holdersKey])) as string[];
      let total = 0;
      for (const other of holders) {
        if (other === id) continue;
        const n = await options.recover(other);
        if (n > 0) {
          total += n;
          logger.warn(`${owner}: ${options.recovered(n)}`);
        }
      }
      return total;
    },
    async release() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await redis.sendCommand(["DEL", options.leaseKey(id)]);
      await redis.sendCommand(["SREM", holdersKey, id]);
    },
  };
  return lease;
}
