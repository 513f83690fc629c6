import { randomUUID } from 'node:crypto';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { createAppendHandler } from './append-handler.js';
import { createEventLog, type EventLog } from './event-log.js';
import { StreamsService } from './generated.js';
import { createReadHandler } from './read-handler.js';

export interface EventStoreDbEmulator {
  connectionString: string;
  stop(): Promise<void>;
}

/**
 * Starts an in-process gRPC server that answers `event_store.client.streams.Streams` (`Read` and `Append`) like
 * a single insecure EventStoreDB node, on 127.0.0.1 and a free port. Every other RPC answers UNIMPLEMENTED,
 * which makes the client skip server features and use plain `Append` instead of `BatchAppend`.
 *
 * @example
 * const emulator = await startEventStoreDbEmulator();
 * const client = EventStoreDBClient.connectionString(emulator.connectionString);
 * // …
 * await client.dispose();
 * await emulator.stop();
 */
export async function startEventStoreDbEmulator(): Promise<EventStoreDbEmulator> {
  const log = createEventLog();
  writeSystemRecords(log);
  const server = new Server();
  server.addService(StreamsService, { read: createReadHandler(log), append: createAppendHandler(log) });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    );
  });
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    stop: () => {
      // Open subscriptions never end by themselves: cancel them, as a server going down does.
      server.forceShutdown();
      return Promise.resolve();
    },
  };
}

// A fresh node's `$all` does not start empty: it holds the server's own records, which readers must skip.
function writeSystemRecords(log: EventLog): void {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');
  const record = (type: string, data: unknown) => ({
    id: randomUUID(),
    type,
    contentType: 'application/json',
    data: json(data),
    customMetadata: new Uint8Array(),
  });
  log.append('$users', 'any', [record('$UserCreated', { LoginName: 'admin' })]);
  log.append('$user-admin', 'any', [
    record('$user', { loginName: 'admin', fullName: 'Event Store Administrator' }),
  ]);
  log.append('$scavenges', 'any', [record('$scavengeIndexInitialized', {})]);
}
