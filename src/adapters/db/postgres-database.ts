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
  // A pooled client that errors while idle would otherwise crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Map<string, Set<() => void>>();
  let listenClient: Promise<pg.Client> | undefined;
  let closed = false;

  function connectListener(): Promise<pg.Client> {
    listenClient ??= (async () => {
      const client = new pg.Client({ connectionString: url });
      client.on('notification', (message) => listeners.get(message.channel)?.forEach((notify) => notify()));
      client.on('error', () => {
        listenClient = undefined;
        client.end().catch(() => undefined);
        if (!closed) reconnectListener();
      });
      await client.connect();
      for (const channel of listeners.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
      return client;
    })();
    return listenClient;
  }

  function reconnectListener(): void {
    const retry = setTimeout(() => {
      // Subscribers poll as well, so a failed reconnect only costs latency; try again later.
      connectListener().catch(() => {
        listenClient = undefined;
        if (!closed) reconnectListener();
      });
    }, 1000);
    retry.unref();
  }

  return {
    kind: 'postgres',
    db,
    async listen(channel, onNotify) {
      const existing = listeners.get(channel);
      if (existing) existing.add(onNotify);
      else {
        listeners.set(channel, new Set([onNotify]));
        const client = await connectListener();
        await client.query(`LISTEN ${quoteIdentifier(channel)}`);
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
