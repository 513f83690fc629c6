import { sql, type Kysely } from 'kysely';
import type { ReadModelSchema } from '../adapters/db/read-model-schema.js';
import type { EventStore, RecordedEvent, Subscription } from '../adapters/event-store/port.js';
import type { Logger } from '../logger.js';
import { readModelTransaction, saveCheckpoints } from './apply-batch.js';
import { projectedStreamPrefixes } from './projected-event.js';

/** The checkpoint row of the follower in `projection_checkpoints`. */
export const webhookFanOutName = 'webhook-fan-out';

const restartDelayMs = 1_000;

export interface FanOutFollowerOptions {
  db: Kysely<ReadModelSchema>;
  store: EventStore;
  fanOut: (db: Kysely<ReadModelSchema>, events: readonly RecordedEvent[]) => Promise<void>;
  /** Told after each batch's deliveries were queued. */
  queued: () => void;
  logger: Logger;
}

/**
 * Queues webhook deliveries on a store without a shared transaction (EventStoreDB): follows the store by
 * subscription and queues each batch's deliveries in one transaction with its checkpoint, so a crash between the
 * two repeats the batch (queued once: the queue's key is the webhook and the event) and loses none. The first
 * start begins at the store's end: webhooks are not sent the history recorded before they could have been.
 * One process of a cluster runs it (a singleton).
 */
export function createWebhookFanOutFollower(options: FanOutFollowerOptions) {
  const { db, store, logger } = options;
  let subscription: Subscription | undefined;
  let stopped = true;
  let restart: NodeJS.Timeout | undefined;

  async function startingPoint(): Promise<string | undefined> {
    const { rows } = await sql<{ checkpoint: string | null }>`select checkpoint from projection_checkpoints
      where name = ${webhookFanOutName}`.execute(db);
    if (rows[0]?.checkpoint) return rows[0].checkpoint;
    const head = await store.headCheckpoint(projectedStreamPrefixes);
    if (head) await saveCheckpoints(db, [{ name: webhookFanOutName, checkpoint: head, events: 0 }]);
    return head ?? undefined;
  }

  async function follow(): Promise<void> {
    const from = await startingPoint();
    if (stopped) return;
    const current = store.subscribe({
      ...(from ? { from } : {}),
      filter: { streamPrefixes: projectedStreamPrefixes },
      handle: async (events) => {
        await readModelTransaction(db, async (trx) => {
          await options.fanOut(trx, events);
          await saveCheckpoints(trx, [
            { name: webhookFanOutName, checkpoint: events.at(-1)!.checkpoint, events: events.length },
          ]);
        });
        options.queued();
      },
    });
    subscription = current;
    current.done.catch((error: unknown) => {
      logger.warn({ err: error }, 'The webhook fan-out stopped on an error; starting it again');
      scheduleRestart();
    });
  }

  function scheduleRestart(): void {
    if (stopped) return;
    restart = setTimeout(() => {
      follow().catch((error: unknown) => {
        logger.warn({ err: error }, 'Could not start the webhook fan-out; trying again');
        scheduleRestart();
      });
    }, restartDelayMs);
  }

  return {
    async start(): Promise<void> {
      stopped = false;
      await follow().catch((error: unknown) => {
        logger.warn({ err: error }, 'Could not start the webhook fan-out; trying again');
        scheduleRestart();
      });
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(restart);
      await subscription?.stop();
      subscription = undefined;
    },
  };
}
