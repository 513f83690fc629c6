import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startEventStoreDbEmulator,
  type EventStoreDbEmulator,
} from '../../test-support/eventstoredb-emulator/start-eventstoredb-emulator.js';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { writeRealisticHistory } from '../../test-support/realistic-history.js';
import { migrateToLatest } from '../adapters/db/migrate.js';
import { openPostgresDatabase } from '../adapters/db/postgres-database.js';
import { createEventStoreDbEventStore } from '../adapters/event-store/eventstoredb/eventstoredb-event-store.js';

const run = promisify(execFile);
const verifyBundleScript = fileURLToPath(new URL('../../scripts/verify-bundle.mjs', import.meta.url));
const audit = fileURLToPath(new URL('../../dist/src/cli/audit.js', import.meta.url));

describe('npm run audit on the EventStoreDB store', () => {
  let emulator: EventStoreDbEmulator;
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let sessionId: string;

  beforeAll(async () => {
    if (!existsSync(audit)) throw new Error('dist/ is missing: run `npm ci` or `npm run build` first');
    emulator = await startEventStoreDbEmulator();
    database = await createTestDatabase('cli_esdb_audit');
    env = {
      ...process.env,
      DATABASE_URL: database.url,
      JWT_SECRET: 'cli-secret-that-is-long-enough-for-hs256-0123456789',
      NATS_URL: '',
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_URL: emulator.connectionString,
    };
    const db = openPostgresDatabase(database.url);
    await migrateToLatest(db.db);
    await db.close();
    const store = createEventStoreDbEventStore(emulator.connectionString);
    sessionId = await writeRealisticHistory(store, 'acme');
    await store.close();
  });
  afterAll(async () => {
    await database?.drop();
    await emulator?.stop();
  });

  it('prints the key, exports a bundle that verifies offline, verifies anchors, and names a changed one', async () => {
    const publicKey = (await run(process.execPath, [audit, 'public-key'], { env })).stdout.trim();
    expect(Buffer.from(publicKey, 'base64')).toHaveLength(32);

    const out = join(await mkdtemp(join(tmpdir(), 'zapledger-esdb-bundle-')), 'bundle.jsonl');
    await run(process.execPath, [audit, 'export', '--session', sessionId, '--out', out], { env });
    const verified = await run(process.execPath, [verifyBundleScript, out, '--public-key', publicKey], {
      env: {},
    });
    expect(verified.stdout).toMatch(new RegExp(`^Verified: session ${sessionId}, \\d+ events`));
    const bundle = await readFile(out, 'utf8');
    await writeFile(out, bundle.replace('"type":"SessionRegistered"', '"type":"SessionRegisterEd"'));
    await expect(run(process.execPath, [verifyBundleScript, out], { env: {} })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/was changed/),
    });

    const intact = (await run(process.execPath, [audit, 'verify', '--public-key', publicKey], { env }))
      .stdout;
    expect(intact).toMatch(/^Intact: (\d+) events in \d+ streams, \1 of them under 1 signed anchors/);
    await expect(
      run(process.execPath, [audit, 'verify', '--public-key', 'A'.repeat(43) + '='], { env }),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('Broken at anchor 1') });

    const db = openPostgresDatabase(database.url);
    await sql`update audit_anchor_heads set hash = sha256(hash)
      where stream_name = ${`session-${sessionId}`}`.execute(db.db);
    await db.close();
    await expect(run(process.execPath, [audit, 'verify'], { env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'Broken at anchor 1: the heads stored with the anchor are not those it',
      ),
    });
  });
});
