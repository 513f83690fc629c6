import type { Kysely } from 'kysely';
import type { DatabaseSchema } from './schema.js';

/** A PostgreSQL database, on a server or embedded, with what kysely cannot express: notifications. */
export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly db: Kysely<DatabaseSchema>;
  /**
   * Calls `onNotify` with the payload of each NOTIFY on `channel` until the returned function is called.
   * Notifications are a wake-up hint only: a listener must not rely on receiving every one.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Runs a named statement, prepared once per connection and executed by name afterwards (the hot reads):
   * one round trip, no parsing or planning per request.
   */
  prepared<Row>(name: string, text: string, values: readonly unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}
