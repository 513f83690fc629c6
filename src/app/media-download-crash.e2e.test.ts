import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayCaller } from '../../test-support/call-gateway.js';
import { eventually } from '../../test-support/eventually.js';
import { jwtSecret } from '../../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../../test-support/gateway-services.js';
import { spawnGateway, type GatewayProcess } from '../../test-support/spawn-gateway.js';
import { signToken } from '../sign-token.js';

/**
 * A fact from WhatsApp, once received, is never lost: a file whose message a gateway recorded, and which that
 * process was still downloading when it was killed, is downloaded and kept by the process that takes the
 * session over.
 */
describe('a gateway killed (SIGKILL) while it downloads an incoming file', () => {
  let services: GatewayServices;
  const folders: string[] = [];
  const spawned: GatewayProcess[] = [];
  const call = gatewayCaller(
    signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'admin', ttl: '1h' }),
  );
  const contact = '5511988887777';
  const jpeg = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(300_000, 3)]);
  const sha256 = createHash('sha256').update(jpeg).digest('hex');

  beforeAll(async () => {
    services = await openGatewayServices('media_crash', jwtSecret);
  });
  afterAll(async () => {
    for (const running of spawned) if (running.child.exitCode === null) running.child.kill('SIGKILL');
    await Promise.all(spawned.map((running) => running.exited));
    await services?.dispose();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  });

  // Each process with a data folder of its own (no shared disk); WhatsApp's servers are slow for the first.
  const gateway = async (downloadDelayMs: number) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'zapledger-media-crash-'));
    folders.push(dataDir);
    const started = await spawnGateway(
      { ...services.env, DATA_DIR: dataDir, HEARTBEAT_INTERVAL_MS: '300', LOG_LEVEL: 'warn' },
      { subjectRoot: services.subjectRoot, simulatorSettings: { downloadDelayMs } },
    );
    spawned.push(started);
    return started;
  };

  it('is downloaded and kept by the process that takes the session over, once', async () => {
    const a = await gateway(60_000);
    const b = await gateway(0);
    const sessionId = (await call(a.url, 'POST', '/sessions', { Session_Name: 'Mídia' })).body.Id as string;
    await call(a.url, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await call(a.url, 'POST', `/simulator/sessions/${sessionId}/scan`);
    await eventually(
      async () =>
        (await call(b.url, 'GET', `/whatsapp/sessions/${sessionId}/status`)).body.isConnected === true,
    );

    const reply = await call(a.url, 'POST', `/simulator/sessions/${sessionId}/incoming`, {
      from: contact,
      body: '',
      media: { mimetype: 'image/jpeg', caption: 'nota fiscal', data: jpeg.toString('base64') },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    const messageId = reply.body.id as string;
    const mediaOf = async (url: string) => {
      const { messages } = (
        await call(url, 'GET', `/whatsapp/sessions/${sessionId}/chats/${contact}@c.us/messages`)
      ).body as { messages: { id: string; media?: Record<string, unknown> }[] };
      return messages.find((message) => message.id === messageId)?.media;
    };
    // Recorded, and its download under way on the first process (which WhatsApp keeps waiting a minute).
    expect(await mediaOf(b.url)).toMatchObject({ url: null, caption: 'nota fiscal' });

    a.child.kill('SIGKILL');
    await a.exited;

    const path = `/whatsapp/sessions/${sessionId}/messages/${encodeURIComponent(messageId)}/media`;
    const media = await eventually(async () => {
      const found = await mediaOf(b.url);
      return found?.url ? found : undefined;
      // Three heartbeats of 300 ms make the lease; the takeover reconnects, then the download runs.
    }, 20_000);
    expect(media).toMatchObject({ mimetype: 'image/jpeg', sha256, url: path, size: jpeg.length });
    const served = await fetch(`${b.url}${path}`, {
      headers: {
        authorization: `Bearer ${signToken(jwtSecret, { companyId: 'acme', role: 'AGENT', sub: 'a', ttl: '1h' })}`,
      },
    });
    expect(served.status).toBe(200);
    expect(
      createHash('sha256')
        .update(Buffer.from(await served.arrayBuffer()))
        .digest('hex'),
    ).toBe(sha256);

    const { events } = (await call(b.url, 'GET', `/audit/sessions/${sessionId}/events?limit=1000`)).body as {
      events: { type: string }[];
    };
    expect(events.filter((event) => event.type === 'MediaDownloaded')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'MediaDownloadFailed')).toHaveLength(0);
  });
});
