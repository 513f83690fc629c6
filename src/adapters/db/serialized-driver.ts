import type { DatabaseConnection, Driver, QueryResult, TransactionSettings } from 'kysely';

/** Runs work while holding the single connection. */
export interface ConnectionLock {
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * PGlite is one backend: kysely must not interleave two transactions on it. This driver hands out the
 * connection to one caller at a time, and reports affected rows the way kysely expects.
 */
export function createSerializedDriver(inner: Driver): Driver & { lock: ConnectionLock } {
  let tail: Promise<void> = Promise.resolve();

  function acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const ready = tail.then(() => release);
    tail = tail.then(() => held);
    return ready;
  }

  const releases = new WeakMap<DatabaseConnection, () => void>();
  const lock: ConnectionLock = {
    async run(work) {
      const release = await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
  };

  return {
    lock,
    init: () => inner.init(),
    async acquireConnection() {
      const release = await acquire();
      const connection = await inner.acquireConnection();
      const wrapped: DatabaseConnection = {
        async executeQuery<R>(
          query: Parameters<DatabaseConnection['executeQuery']>[0],
        ): Promise<QueryResult<R>> {
          const result = (await connection.executeQuery<R>(query)) as QueryResult<R> & {
            affectedRows?: number;
          };
          return result.affectedRows === undefined
            ? { rows: result.rows }
            : { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) };
        },
        streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
      };
      releases.set(wrapped, release);
      return wrapped;
    },
    beginTransaction: (connection: DatabaseConnection, settings: TransactionSettings) =>
      inner.beginTransaction(connection, settings),
    commitTransaction: (connection) => inner.commitTransaction(connection),
    rollbackTransaction: (connection) => inner.rollbackTransaction(connection),
    releaseConnection(connection) {
      releases.get(connection)?.();
      releases.delete(connection);
      return Promise.resolve();
    },
    destroy: () => inner.destroy(),
  };
}
