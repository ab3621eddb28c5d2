/**
 * The lease a RedisEventStore or a RedisWorker holds while it runs: a key
 * with a time to live, renewed at a third of it, and membership in a set of
 * holders. With every renewal the holder also recovers what holders whose
 * lease lapsed (dead processes) left behind; what "recover" means (a hash of
 * in-flight events, a processing list) is the caller's Lua script, which
 * must itself check that the dead holder's lease key is gone.
 *
 * Each renewal also reads Redis's run id: when it changes, Redis restarted.
 * If the holder's own membership survived, Redis kept its data (persistence
 * on); if not, whatever Redis held for it is gone, and that is reported.
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
  /** Said (as an error) when Redis restarted without its data: what may be lost. */
  lost(): string;
}

export interface Lease {
  /** Takes the lease, joins the holders, recovers what dead ones left, and renews until released. */
  start(): Promise<void>;
  /** Recovers what holders whose lease lapsed left; answers how many events. */
  recoverDead(): Promise<number>;
  /** Stops renewing and gives the lease up (the caller hands back what it holds first). */
  release(): Promise<void>;
  /** Stops renewing without a word to Redis (when Redis cannot be reached at close). */
  stop(): void;
}

export function createLease(options: LeaseOptions): Lease {
  const { redis, logger, owner, id, holdersKey, leaseMs } = options;
  let timer: ReturnType<typeof setInterval> | undefined;
  let runId: string | undefined;
  let renewing = false;
  let failing = false;

  /** Redis's run id, or undefined when INFO is not allowed (then restarts are not detected). */
  const readRunId = async (): Promise<string | undefined> => {
    try {
      const info = String(await redis.sendCommand(["INFO", "server"]));
      return /run_id:([0-9a-f]+)/.exec(info)?.[1];
    } catch (error) {
      if (/NOPERM|unknown command/i.test(String((error as Error).message))) return undefined;
      throw error;
    }
  };
  const renew = async (): Promise<void> => {
    const current = await readRunId();
    if (runId !== undefined && current !== undefined && current !== runId) {
      const kept = Number(await redis.sendCommand(["SISMEMBER", holdersKey, id])) === 1;
      if (kept) logger.info(`${owner}: Redis restarted and kept its data (persistence is on)`);
      else {
        logger.error(`${owner}: Redis restarted without its data: ${options.lost()}`);
        await redis.sendCommand(["SADD", holdersKey, id]);
      }
    }
    runId = current ?? runId;
    await redis.sendCommand(["SET", options.leaseKey(id), "1", "PX", String(leaseMs)]);
  };
  const lease: Lease = {
    async start() {
      await renew();
      await redis.sendCommand(["SADD", holdersKey, id]);
      await lease.recoverDead();
      timer ??= setInterval(() => {
        if (renewing) return;
        renewing = true;
        void renew().then(() => lease.recoverDead()).then(() => {
          if (failing) logger.info(`${owner}: lease renewed again`);
          failing = false;
        }, (error: unknown) => {
          if (!failing) logger.warn(`${owner}: lease renewal failed; trying again`, { error: String(error) });
          failing = true;
        }).finally(() => { renewing = false; });
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
      lease.stop();
      await redis.sendCommand(["DEL", options.leaseKey(id)]);
      await redis.sendCommand(["SREM", holdersKey, id]);
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
  return lease;
}
