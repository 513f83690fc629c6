import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import type { DatabaseSchema } from './schema.js';

export interface PostgresDatabaseOptions {
  maxConnections?: number;
}

/**
 * Opens a pool on a PostgreSQL server, plus one dedicated connection for LISTEN, opened on first use and
 * reopened when it drops.
 *
 * @example
 * const database = openPostgresDatabase('postgres://postgres@127.0.0.1:5432/zapledger');
 */
export function openPostgresDatabase(url: string, options: PostgresDatabaseOptions = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  // A client whose connection drops emits 'error'; unheard, that kills the process. The pool listens only while
  // a client is idle, so each client gets a listener of its own for the time it is checked out: the query in
  // flight fails with the error anyway, and the pool discards the broken client when it is released.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let listenClient: Promise<pg.Client> | undefined;
  let closed = false;

  function connectListener(): Promise<pg.Client> {
    if (listenClient) return listenClient;
    const client = new pg.Client({ connectionString: url });
    const connecting = (async () => {
      client.on('notification', (message) =>
        listeners.get(message.channel)?.forEach((notify) => notify(message.payload ?? '')),
      );
      // Every later error of this connection lands here too, and must neither crash nor reconnect twice.
      client.on('error', () => dropListener(connecting));
      await client.connect();
      for (const channel of listeners.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      return client;
    })();
    listenClient = connecting;
    return connecting;
  }

  /** Forgets a LISTEN connection that failed, once, and opens another a moment later. */
  function dropListener(failed: Promise<pg.Client>): void {
    if (listenClient !== failed) return;
    listenClient = undefined;
    failed.then((client) => client.end()).catch(() => undefined);
    if (closed) return;
    // Subscribers poll as well, so a failed reconnect only costs latency; try again later.
    const retry = setTimeout(() => {
      const next = connectListener();
      next.catch(() => dropListener(next));
    }, 1000);
    retry.unref();
  }

  /** Listens on `channel` now if the connection answers, or once it is back (subscribers poll meanwhile). */
  async function listenOn(channel: string): Promise<void> {
    const connecting = connectListener();
    try {
      const client = await connecting;
      await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    } catch {
      // A new connection listens on every channel.
      dropListener(connecting);
    }
  }

  return {
    kind: 'postgres',
    db,
    async prepared<Row>(name: string, text: string, values: readonly unknown[]) {
      const result = await pool.query({ name, text, values: [...values] });
      return result.rows as Row[];
    },
    async listen(channel, onNotify) {
      const existing = listeners.get(channel);
      if (existing) existing.add(onNotify);
      else {
        listeners.set(channel, new Set([onNotify]));
        await listenOn(channel);
      }
      return async () => {
        const set = listeners.get(channel);
        set?.delete(onNotify);
        if (set?.size === 0) {
          listeners.delete(channel);
          const client = await listenClient?.catch(() => undefined);
          await client?.query(`UNLISTEN ${quoteIdentifier(channel)}`).catch(() => undefined);
        }
      };
    },
    async close() {
      closed = true;
      const client = await listenClient?.catch(() => undefined);
      await client?.end().catch(() => undefined);
      await db.destroy();
    },
  };
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
