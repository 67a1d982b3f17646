/**
 * One BullMQ queue per target system, `bots.<system>`, on one shared Redis connection. Jobs run
 * once (`attempts: 1`): Temporal owns retries, and each retry is a new job with a new id.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { AvlastaConfig } from '../config.js';

export interface BotQueues {
  queueFor(system: string): Queue;
  close(): Promise<void>;
}

export interface BotQueueOptions {
  /**
   * Redis key prefix of every queue; tests use a unique one so parallel runs cannot meet.
   * @defaultValue 'avlasta'
   */
  prefix?: string;
}

export const defaultQueuePrefix = 'avlasta';

export function queueName(system: string): string {
  return `bots.${system}`;
}

/** ioredis options BullMQ requires: blocking commands must never give up on their own. */
export function createRedis(config: AvlastaConfig): Redis {
  return new Redis(config.redisUrl, { maxRetriesPerRequest: null });
}

export function createBotQueues(config: AvlastaConfig, opts: BotQueueOptions = {}): BotQueues {
  const prefix = opts.prefix ?? defaultQueuePrefix;
  const connection = createRedis(config);
  const queues = new Map<string, Queue>();
  return {
    queueFor(system) {
      let queue = queues.get(system);
      if (!queue) {
        queue = new Queue(queueName(system), {
          connection,
          prefix,
          defaultJobOptions: {
            attempts: 1,
            // Kept a while so a redelivered runBot call finds its job id and does not add twice.
            removeOnComplete: { age: 24 * 3600, count: 10_000 },
            removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
          },
        });
        queues.set(system, queue);
      }
      return queue;
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      await connection.quit();
    },
  };
}
