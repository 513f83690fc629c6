import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { EventStoreDBClient } from '@eventstore/db-client';
import { loadConfig } from '../config.js';
import { verifyEventStoreDbStore } from '../adapters/audit/verify-eventstoredb-store.js';
import { writeAnchor } from '../adapters/audit/postgres-anchors.js';
import { anchorEventStoreDb } from '../adapters/audit/eventstoredb-anchors.js';
import { eventStoreDbBundleEvents } from '../adapters/audit/eventstoredb-bundle-events.js';
import { writeSessionBundle } from '../adapters/audit/session-bundle.js';
import type { VerificationReport } from '../adapters/audit/chain-break.js';
import { loadAnchorSigningKey } from '../adapters/audit/signing-key-store.js';
import { verifyPostgresStore } from '../adapters/audit/verify-postgres-store.js';
import { migrateToLatest } from '../adapters/db/migrate.js';
import { openDatabase } from '../adapters/db/open-database.js';
import type { Database } from '../adapters/db/database.js';
import { cliArgs, UsageError } from './cli-args.js';
import { runCli } from './run-cli.js';

const usage = `npm run audit -- verify [--public-key <base64>]
npm run audit -- public-key
npm run audit -- export --session <id> --out <file>`;
const commands = ['verify', 'public-key', 'export'];

/** Proof that history was not edited: verify the hash chains and signed anchors, print the anchors' key. */
runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  const config = loadConfig();
  if (!command || !commands.includes(command))
    throw new UsageError(`unknown or missing command ${command ?? ''}\nUsage:\n${usage}`);
  const options = cliArgs(
    { 'public-key': { type: 'string' }, session: { type: 'string' }, out: { type: 'string' } },
    usage,
    rest,
  );
  if (command === 'export' && (!options.session || !options.out))
    throw new UsageError(`export needs --session and --out\nUsage:\n${usage}`);
  const database = await openDatabase(config);
  // On EventStoreDB the events are there, their anchors in the read-model database (eventstoredb-anchors.ts).
  const client =
    config.EVENT_STORE === 'eventstoredb'
      ? EventStoreDBClient.connectionString(config.EVENTSTORE_URL!)
      : null;
  try {
    await migrateToLatest(database.db);
    if (command === 'public-key') {
      process.stdout.write(
        `${(await loadAnchorSigningKey(database.db, config.AUDIT_SIGNING_KEY)).publicKey}\n`,
      );
      return;
    }
    if (command === 'export')
      await exportSession(database, client, config.AUDIT_SIGNING_KEY, options.session!, options.out!);
    else await verify(database, client, options['public-key']);
  } finally {
    await client?.dispose();
    await database.close();
  }
});

function verify(
  database: Database,
  client: EventStoreDBClient | null,
  expectedPublicKey: string | undefined,
): Promise<void> {
  const expected = expectedPublicKey ? { expectedPublicKey } : {};
  return report(() =>
    client
      ? verifyEventStoreDbStore(client, { db: database.db, ...expected })
      : verifyPostgresStore(database.db, expected),
  );
}

/** Prints the summary, or exits 1 naming the first break. */
async function report(verifyStore: () => Promise<VerificationReport>): Promise<void> {
  const started = performance.now();
  const found = await verifyStore();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (found.firstBreak) throw new HistoryBrokenError(describeBreak(found));
  process.stdout.write(
    `Intact: ${found.events} events in ${found.streams} streams, ${found.anchoredEvents} of them under ` +
      `${found.anchors} signed anchors (keys: ${found.publicKeys.join(', ') || 'none yet'}); checked in ${seconds} s\n`,
  );
}

/** Anchors what is not yet, so that the bundle covers the session up to now, then writes it. */
async function exportSession(
  database: Database,
  client: EventStoreDBClient | null,
  signingKey: string | undefined,
  sessionId: string,
  out: string,
) {
  const key = await loadAnchorSigningKey(database.db, signingKey);
  await (client ? anchorEventStoreDb(database.db, client, key) : writeAnchor(database.db, key));
  const file = createWriteStream(out);
  const written = await writeSessionBundle(
    database.db,
    sessionId,
    (line) => (file.write(`${line}\n`) ? Promise.resolve() : once(file, 'drain').then(() => undefined)),
    client ? eventStoreDbBundleEvents(client) : undefined,
  );
  file.end();
  await finished(file);
  if (written.streams === 0) throw new UsageError(`session ${sessionId} has no events`);
  process.stdout.write(`Wrote ${written.events} events of ${written.streams} streams to ${out}\n`);
}

function describeBreak({ firstBreak, events }: VerificationReport): string {
  const at = firstBreak!;
  const where = at.anchor
    ? `anchor ${at.anchor}`
    : [
        `stream ${at.streamName}`,
        at.revision === null ? '' : `revision ${at.revision}`,
        at.eventId === null ? '' : `event ${at.eventId}`,
        at.position === null ? '' : `position ${at.position}`,
      ]
        .filter(Boolean)
        .join(', ');
  return `Broken at ${where}: ${at.problem} (after ${events} intact events)`;
}

/** Exits 1 (run-cli.ts) with the first break named. */
class HistoryBrokenError extends Error {
  override readonly name = 'HistoryBrokenError';
}
