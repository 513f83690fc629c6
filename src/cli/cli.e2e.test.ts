import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createVerifier } from 'fast-jwt';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test-support/postgres.js';
import { writeRealisticHistory } from '../../test-support/realistic-history.js';
import { migrateToLatest } from '../adapters/db/migrate.js';
import { openPostgresDatabase } from '../adapters/db/postgres-database.js';
import { createPostgresEventStore } from '../adapters/event-store/postgres/postgres-event-store.js';

const run = promisify(execFile);
const verifyBundleScript = fileURLToPath(new URL('../../scripts/verify-bundle.mjs', import.meta.url));
const cli = (name: string) => fileURLToPath(new URL(`../../dist/src/cli/${name}.js`, import.meta.url));
const secret = 'cli-secret-that-is-long-enough-for-hs256-0123456789';

describe('the command-line tools (npm run migrate, token, events, projections, rebuild, audit)', () => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let sessionId: string;

  beforeAll(async () => {
    if (!existsSync(cli('migrate')))
      throw new Error('dist/ is missing: run `npm ci` or `npm run build` first');
    database = await createTestDatabase('cli');
    env = { ...process.env, DATABASE_URL: database.url, JWT_SECRET: secret, NATS_URL: '' };
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('migrates, then says the schema is up to date', async () => {
    expect((await run(process.execPath, [cli('migrate')], { env })).stdout).toMatch(/Applied \d+ migration/);
    expect((await run(process.execPath, [cli('migrate')], { env })).stdout).toMatch(/up to date/);
  });

  it('prints a token with the asked claims, and refuses a bad role', async () => {
    const { stdout } = await run(
      process.execPath,
      [cli('token'), '--company', 'acme', '--role', 'AGENT', '--sub', 'maria', '--ttl', '2h'],
      { env },
    );
    expect(createVerifier({ key: secret })(stdout.trim())).toMatchObject({
      companyId: 'acme',
      role: 'AGENT',
      sub: 'maria',
    });
    await expect(
      run(process.execPath, [cli('token'), '--company', 'acme', '--role', 'ROOT'], { env }),
    ).rejects.toMatchObject({ code: 2 });
    await expect(
      run(process.execPath, [cli('token'), '--company', 'acme', '--role', 'AGENT', '--ttl', '31d'], { env }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/longer than JWT_MAX_TTL \(30d\)/) });
  });

  it('dumps a session’s events as JSON lines, rebuilds the read models and reports their status', async () => {
    const db = openPostgresDatabase(database.url);
    await migrateToLatest(db.db);
    sessionId = await writeRealisticHistory(createPostgresEventStore(db), 'acme');
    await db.close();

    const dump = (await run(process.execPath, [cli('events'), '--session', sessionId], { env })).stdout
      .trim()
      .split('\n');
    const events = dump.map(
      (l) => JSON.parse(l) as { type: string; stream: string; metadata: { actor: unknown } },
    );
    expect(events[0]).toMatchObject({
      type: 'SessionRegistered',
      stream: `session-${sessionId}`,
      metadata: { actor: { type: 'user' } },
    });
    expect(events.length).toBeGreaterThan(20);

    expect((await run(process.execPath, [cli('rebuild')], { env })).stdout).toMatch(
      new RegExp(`Rebuilt from ${events.length} events`),
    );
    const status = (await run(process.execPath, [cli('projections')], { env })).stdout;
    for (const name of ['sessions', 'clients', 'chats', 'messages', 'session_logs'])
      expect(status).toContain(name);
    await expect(
      run(process.execPath, [cli('rebuild'), '--projection', 'nope'], { env }),
    ).rejects.toMatchObject({ code: 1 });
  });

  it('verifies the store, prints the anchors’ key, and names the first event someone changed', async () => {
    const publicKey = (await run(process.execPath, [cli('audit'), 'public-key'], { env })).stdout.trim();
    expect(Buffer.from(publicKey, 'base64')).toHaveLength(32);
    const intact = (await run(process.execPath, [cli('audit'), 'verify', '--public-key', publicKey], { env }))
      .stdout;
    expect(intact).toMatch(/^Intact: \d+ events in \d+ streams/);

    const out = join(await mkdtemp(join(tmpdir(), 'zapledger-bundle-')), 'bundle.jsonl');
    await run(process.execPath, [cli('audit'), 'export', '--session', sessionId, '--out', out], { env });
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

    const db = openPostgresDatabase(database.url);
    const { rows } = await sql<{ id: string }>`
      select event_id::text as id from events where stream_name = ${`session-${sessionId}`}
      order by stream_revision limit 1`.execute(db.db);
    await sql`alter table events disable trigger events_immutable`.execute(db.db);
    await sql`update events set data = data || '{"name":"forged"}' where event_id = ${rows[0]!.id}::uuid`.execute(
      db.db,
    );
    await db.close();
    await expect(run(process.execPath, [cli('audit'), 'verify'], { env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`event ${rows[0]!.id}`),
    });
    await expect(run(process.execPath, [cli('audit'), 'nonsense'], { env })).rejects.toMatchObject({
      code: 2,
    });
  });
});
