import { isTransientDatabaseError } from '../adapters/db/transient-database-error.js';
import { chatStream } from '../domain/chat/chat-stream.js';
import { sessionStream } from '../domain/session/session-stream.js';
import type { Logger } from '../logger.js';
import type { CommandHandler } from './command-handler.js';
import type { Fact, FactSpool } from './fact-spool.js';
import { restartDelay } from './supervisor-timing.js';

/** Names of EventStoreDB client errors that mean "out of reach for now". */
const unavailableStoreErrors = new Set(['UnavailableError', 'DeadlineExceededError', 'NotLeaderError']);

/** Whether recording failed because the store is out of reach for now, so that trying again can succeed. */
export function isStoreOutOfReach(error: unknown): boolean {
  return (
    isTransientDatabaseError(error) || (error instanceof Error && unavailableStoreErrors.has(error.name))
  );
}

export function recordFact(handle: CommandHandler, fact: Fact): Promise<unknown> {
  return fact.category === 'session'
    ? handle(sessionStream, fact.streamName, fact.command, fact.context)
    : handle(chatStream, fact.streamName, fact.command, fact.context);
}

/** The gateway is stopping while a fact waits for the store: it stays in the spool for the next start. */
export class FactLeftInSpoolError extends Error {
  override readonly name = 'FactLeftInSpoolError';

  constructor(readonly spoolId: string | undefined) {
    super(
      `The store was out of reach until shutdown; the fact stays in the spool (${spoolId ?? 'spool full'})`,
    );
  }
}

export interface DurableRecordingDeps {
  handle: CommandHandler;
  spool: FactSpool;
  logger: Logger;
  /** True once the process is stopping: retries end, spooled facts wait for the next start. */
  stopping: () => boolean;
  retryInitialMs?: number;
  retryMaxMs?: number;
}

/**
 * Records a fact; while the store is out of reach, keeps it in the spool and tries again with backoff. The
 * caller holds the fact's stream queue meanwhile, so the stream's later facts wait behind it, in order.
 * A fact the store refuses for another reason (a decision) is not retried.
 */
export async function recordDurably(
  fact: Fact,
  deps: DurableRecordingDeps,
  /** The fact's spooling when it began at its arrival (intake overloaded): its file goes once it is stored. */
  spooledOnArrival?: Promise<string | undefined>,
): Promise<void> {
  let spooled = await spooledOnArrival?.catch((error: unknown) => {
    deps.logger.warn({ err: error, streamName: fact.streamName }, 'Could not spool a fact on arrival');
    return undefined;
  });
  let kept = spooled !== undefined;
  for (let failures = 0; ; failures++) {
    try {
      await recordFact(deps.handle, fact);
      if (spooled) await deps.spool.remove(spooled);
      return;
    } catch (error) {
      if (!isStoreOutOfReach(error)) {
        if (spooled) await deps.spool.remove(spooled);
        throw error;
      }
      if (!kept) {
        kept = true;
        spooled = await deps.spool.add(fact);
        if (spooled)
          deps.logger.warn(
            { err: error, spooled, streamName: fact.streamName },
            'Store out of reach; fact spooled',
          );
        else
          deps.logger.error(
            { err: error, streamName: fact.streamName, spoolSize: deps.spool.size() },
            'Store out of reach and the spool is full; the fact is kept in memory only',
          );
      }
      if (deps.stopping()) throw new FactLeftInSpoolError(spooled);
      await new Promise((resolve) =>
        setTimeout(resolve, restartDelay(failures, deps.retryInitialMs ?? 200, deps.retryMaxMs ?? 5000)),
      );
    }
  }
}

/**
 * Stores the facts a previous run left in the spool, oldest first, before sessions start again. Waits for the
 * store while it is out of reach; drops (with an error in the log) a fact the store refuses for good.
 */
export async function replaySpool(spool: FactSpool, handle: CommandHandler, logger: Logger): Promise<number> {
  const pending = await spool.pending();
  for (const { id, fact } of pending) {
    for (let failures = 0; ; failures++) {
      try {
        await recordFact(handle, fact);
        break;
      } catch (error) {
        if (!isStoreOutOfReach(error)) {
          logger.error({ err: error, spooled: id }, 'A spooled fact was refused; dropping it');
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, restartDelay(failures, 200, 5000)));
      }
    }
    await spool.remove(id);
  }
  return pending.length;
}
