import type { AppendHooks } from '../event-store/postgres/append-hooks.js';
import type { EventStore, JsonObject, RecordedEvent } from '../event-store/port.js';
import { sealedKey } from '../../domain/privacy/sealed-data.js';
import type { EventCodec } from './event-codec.js';

/**
 * Crypto-shredding at the storage boundary. The wrapped store keeps events sealed (their personal fields under
 * the contact's key), and the hash chain it computes covers that ciphertext, so destroying a key never breaks
 * it. Everything read back is opened (or erased). Within this process, the events an append hands to the
 * store's hooks (inline projections, webhook fan-out, the relay and WebSocket hub) are the clear ones the
 * caller appended: they are remembered by id from the append until it settles, and never read back.
 *
 * @example
 * const sealing = sealingStorage(eventCodec(keys));
 * const store = sealing.wrap(createPostgresEventStore(database, { hooks: sealing.hooks(hooks) }));
 */
export function sealingStorage(codec: EventCodec) {
  const clearById = new Map<string, JsonObject>();

  /** The events with the data their append was given, where this process appended them. */
  const inClear = (events: readonly RecordedEvent[]): RecordedEvent[] =>
    events.map((event) => {
      const data = clearById.get(event.id.toLowerCase());
      return data ? { ...event, data } : event;
    });

  return {
    hooks({ withinTransaction, afterCommit }: AppendHooks): AppendHooks {
      return {
        ...(withinTransaction
          ? {
              withinTransaction: async (trx, events) =>
                withinTransaction(trx, await codec.open(inClear(events))),
            }
          : {}),
        ...(afterCommit ? { afterCommit: (events) => afterCommit(inClear(events)) } : {}),
      };
    },

    wrap(store: EventStore): EventStore {
      return {
        ...store,
        async append(streamName, events, expected) {
          const sealed = await codec.seal(streamName, events);
          const remembered = sealed.flatMap((event, index) => {
            const original = events[index]!;
            if (event === original) return [];
            const id = event.id.toLowerCase();
            const clear = { ...original.data, ...addedInClear(original.data, event.data) };
            clearById.set(id, clear);
            return [[id, clear] as const];
          });
          try {
            return await store.append(streamName, sealed, expected);
          } finally {
            // Another append of the same id may have replaced the entry meanwhile: that one is its to remove.
            for (const [id, data] of remembered) if (clearById.get(id) === data) clearById.delete(id);
          }
        },
        readStream: async (streamName, options) => codec.open(await store.readStream(streamName, options)),
        readAll: async (options) => codec.open(await store.readAll(options)),
        subscribe: (options) =>
          store.subscribe({ ...options, handle: async (events) => options.handle(await codec.open(events)) }),
      };
    },
  };
}

/** What sealing added to the clear part of an event (a contact's keyed hash), which its readers get too. */
function addedInClear(original: JsonObject, stored: JsonObject): JsonObject {
  return Object.fromEntries(
    Object.entries(stored).filter(([field]) => field !== sealedKey && !(field in original)),
  );
}
