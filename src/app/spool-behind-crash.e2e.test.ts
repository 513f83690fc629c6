import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayCaller } from '../../test-support/call-gateway.js';
import { eventually } from '../../test-support/eventually.js';
import { jwtSecret } from '../../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../../test-support/gateway-services.js';
import { spawnGateway, type GatewayProcess } from '../../test-support/spawn-gateway.js';
import { signToken } from '../sign-token.js';

/**
 * A fact from WhatsApp, once received, is never lost: messages that arrive while a gateway is behind (its appends
 * stuck behind a lock here) are on its local disk before they wait, and the same host's next start stores them
 * after a `kill -9`.
 */
describe('a gateway killed (SIGKILL) while it is behind WhatsApp', () => {
  let services: GatewayServices;
  let dataDir: string;
  const spawned: GatewayProcess[] = [];
  const call = gatewayCaller(
    signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'admin', ttl: '1h' }),
  );
  const contact = '5511988887777';

  beforeAll(async () => {
    services = await openGatewayServices('spool_behind', jwtSecret);
    dataDir = await mkdtemp(join(tmpdir(), 'zapledger-spool-behind-'));
  });
  afterAll(async () => {
    for (const running of spawned) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    await Promise.all(spawned.map((running) => running.exited));
    await services?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  const gateway = async () => {
    const started = await spawnGateway(
      { ...services.env, DATA_DIR: dataDir, SPOOL_BEHIND_FACTS: '1', LOG_LEVEL: 'error' },
      { subjectRoot: services.subjectRoot },
    );
    spawned.push(started);
    return started;
  };

  it('stores, at its next start, each message that arrived while it was behind, once', async () => {
    const first = await gateway();
    const sessionId = (await call(first.url, 'POST', '/sessions', { Session_Name: 'Atrasado' })).body
      .Id as string;
    await call(first.url, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await call(first.url, 'POST', `/simulator/sessions/${sessionId}/scan`);
    await eventually(
      async () =>
        (await call(first.url, 'GET', `/whatsapp/sessions/${sessionId}/status`)).body.isConnected === true,
    );

    /** Fact files whole on disk (a fact being written when the process was killed is `.partial`). */
    const whole = async () =>
      (await readdir(join(dataDir, 'spool'))).filter((name) => name.endsWith('.json'));
    const texts = ['primeira', 'segunda', 'terceira', 'quarta'];
    const spooled: string[] = [];
    // The store stops taking appends: the first message waits in memory, those behind it are spooled too.
    const locker = new pg.Client({ connectionString: services.databaseUrl });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table events in exclusive mode');
      for (const body of texts)
        void call(first.url, 'POST', `/simulator/sessions/${sessionId}/incoming`, {
          from: contact,
          body,
        }).catch(() => undefined);
      // Which one waits in memory depends on the order they arrive in (and all are spooled when another of
      // the session's facts was in flight as the first arrived): the files say which are on disk.
      await eventually(async () => (await whole()).length >= texts.length - 1, 15_000);
      const onDisk = await Promise.all(
        (await whole()).map((name) => readFile(join(dataDir, 'spool', name), 'utf8')),
      );
      spooled.push(...texts.filter((body) => onDisk.some((file) => file.includes(`"${body}"`))));

      first.child.kill('SIGKILL');
      await first.exited;
    } finally {
      await locker.query('rollback');
      await locker.end();
    }

    const next = await gateway();
    const bodies = await eventually(async () => {
      const { messages } = (
        await call(next.url, 'GET', `/whatsapp/sessions/${sessionId}/chats/${contact}@c.us/messages`)
      ).body as { messages: { body: string }[] } | { messages: undefined };
      const found = (messages ?? []).map((message) => message.body);
      return spooled.every((body) => found.includes(body)) && found;
    }, 20_000);
    expect(spooled.length).toBeGreaterThanOrEqual(texts.length - 1);
    expect(new Set(bodies).size).toBe(bodies.length);
    expect(bodies.every((body) => texts.includes(body))).toBe(true);
    // (The new process may spool its own facts while it starts, several at once: gone once stored.)
    await eventually(async () => (await whole()).length === 0);
  });
});
