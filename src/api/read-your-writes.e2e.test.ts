import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { jwtSecret, openSocket } from '../../test-support/gateway-harness.js';
import { openGatewayServices, type GatewayServices } from '../../test-support/gateway-services.js';
import { spawnGateway, type GatewayProcess } from '../../test-support/spawn-gateway.js';
import { gatewayCaller } from '../../test-support/call-gateway.js';
import { signToken } from '../sign-token.js';

/**
 * API.md "Consistency": once a request that changes something has answered, every later read through any
 * gateway process shows it, and a WebSocket frame is never ahead of the REST reads. Two real gateway processes
 * share one PostgreSQL and one NATS; every write goes through one and is read at once through the other.
 */
describe('read-your-writes across two gateway processes', () => {
  let services: GatewayServices;
  let a: GatewayProcess;
  let b: GatewayProcess;
  const token = signToken(jwtSecret, { companyId: 'acme', role: 'ADMIN', sub: 'admin', ttl: '1h' });

  const call = gatewayCaller(token);
  const messagesOf = async (url: string, sessionId: string, chatId: string) =>
    (await call(url, 'GET', `/whatsapp/sessions/${sessionId}/chats/${chatId}/messages?limit=200`)).body
      .messages as { id: string; body: string; status: number }[];
  const statusOf = async (url: string, sessionId: string) =>
    (await call(url, 'GET', `/whatsapp/sessions/${sessionId}/status`)).body.status;

  beforeAll(async () => {
    services = await openGatewayServices('ryw', jwtSecret);
    const env = { ...services.env, SIMULATOR_ACK_DELAYS_MS: '20,40,60' };
    [a, b] = await Promise.all([
      spawnGateway(env, { subjectRoot: services.subjectRoot }),
      spawnGateway(env, { subjectRoot: services.subjectRoot }),
    ]);
  });

  afterAll(async () => {
    for (const gateway of [a, b]) {
      gateway?.child.kill('SIGTERM');
      await gateway?.exited;
    }
    await services?.dispose();
  });

  it('shows each session write through the other process as soon as it answered', async () => {
    const created = await call(a.url, 'POST', '/sessions', { Session_Name: 'Vendas' });
    expect(created.status).toBe(201);
    const id = created.body.Id as string;
    expect((await call(b.url, 'GET', `/sessions/${id}`)).body.Session_Name).toBe('Vendas');

    expect((await call(b.url, 'PATCH', `/sessions/${id}`, { Session_Name: 'Vendas SP' })).status).toBe(200);
    expect((await call(a.url, 'GET', `/sessions/${id}`)).body.Session_Name).toBe('Vendas SP');

    const started = await call(a.url, 'POST', `/whatsapp/sessions/${id}/start`);
    expect(started.body.status).toBe('qr');
    expect(await statusOf(b.url, id)).toBe('qr');
    expect((await call(b.url, 'GET', `/whatsapp/sessions/${id}/qr`)).status).toBe(200);

    expect((await call(a.url, 'POST', `/simulator/sessions/${id}/scan`)).status).toBe(204);
    expect(await statusOf(b.url, id)).toBe('connected');

    // Stopped through the process that does not run it: answered once the one that runs it has stopped it.
    expect((await call(b.url, 'POST', `/whatsapp/sessions/${id}/stop`)).status).toBe(200);
    expect(await statusOf(a.url, id)).toBe('disconnected');
    expect(await statusOf(b.url, id)).toBe('disconnected');
    const afterStop = await call(a.url, 'POST', `/simulator/sessions/${id}/incoming`, {
      from: '5511988887777',
      body: 'ainda aí?',
    });
    expect(afterStop.status).toBe(409);

    expect((await call(b.url, 'DELETE', `/sessions/${id}`)).status).toBe(204);
    expect((await call(a.url, 'GET', `/sessions/${id}`)).status).toBe(404);
  });

  it('shows incoming and sent messages through the other process, and never sends a frame ahead of REST', async () => {
    const id = (await call(a.url, 'POST', '/sessions', { Session_Name: 'Suporte' })).body.Id as string;
    await call(a.url, 'POST', `/whatsapp/sessions/${id}/start`);
    await call(a.url, 'POST', `/simulator/sessions/${id}/scan`);
    const chat = '5511988887777@c.us';

    // Each message frame that reaches a client of process B is checked at once against the REST reads of A.
    const socket = await openSocket(`${b.url.replace(/^http/, 'ws')}/ws/whatsapp/${id}`, ['bearer', token]);
    // A client of process A, which stores the incoming messages: its frames come from the hand-over, and the
    // bus's copy of the same events must not make them twice.
    const local = await openSocket(`${a.url.replace(/^http/, 'ws')}/ws/whatsapp/${id}`, ['bearer', token]);
    const frameChecks: Promise<boolean>[] = [];
    socket.socket.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as { type: string; data: { id: string } };
      if (frame.type === 'message')
        frameChecks.push(
          messagesOf(a.url, id, chat).then((messages) => messages.some((m) => m.id === frame.data.id)),
        );
    });

    const incoming: string[] = [];
    for (let n = 0; n < 10; n++) {
      const reply = await call(a.url, 'POST', `/simulator/sessions/${id}/incoming`, {
        from: '5511988887777',
        body: `Mensagem ${n}`,
      });
      expect(reply.status).toBe(202);
      incoming.push(reply.body.id as string);
      const onB = await messagesOf(b.url, id, chat);
      expect(onB.map((m) => m.body)).toContain(`Mensagem ${n}`);
    }

    // The simulator's controls reach the process that runs the session (A) from the other one.
    const viaB = await call(b.url, 'POST', `/simulator/sessions/${id}/incoming`, {
      from: '5511988887777',
      body: 'pelo outro processo',
    });
    expect(viaB.status).toBe(202);
    expect((await messagesOf(a.url, id, chat)).map((m) => m.body)).toContain('pelo outro processo');
    // And its refusals come back as they are: scanning a session already connected.
    const scannedAgain = await call(b.url, 'POST', `/simulator/sessions/${id}/scan`);
    expect(scannedAgain.status).toBe(409);

    const sent = await call(b.url, 'POST', '/whatsapp/messages/send', {
      sessionId: id,
      to: '5511988887777',
      message: 'Resposta',
    });
    expect(sent.status).toBe(200);
    const onA = await messagesOf(a.url, id, chat);
    expect(onA.find((m) => m.body === 'Resposta')?.id).toBe((sent.body.result as { id: string }).id);
    // The simulator is one WhatsApp for the cluster: its log of sends reads the same from either process.
    const log = (await call(b.url, 'GET', `/simulator/sessions/${id}/sent`)).body.messages as {
      body: string;
    }[];
    expect(log.filter((m) => m.body === 'Resposta')).toHaveLength(1);

    const media = await call(a.url, 'POST', '/whatsapp/messages/send-media', {
      sessionId: id,
      to: '5511988887777',
      data: Buffer.from('%PDF-1.4 boleto').toString('base64'),
      mimetype: 'application/pdf',
      fileName: 'boleto.pdf',
    });
    expect(media.status).toBe(200);
    expect(
      (await messagesOf(b.url, id, chat)).some((m) => m.id === (media.body.result as { id: string }).id),
    );

    await eventually(() => frameChecks.length >= 12);
    const seen = await Promise.all(frameChecks);
    expect(seen.every(Boolean)).toBe(true);
    await eventually(() => local.frames.filter((frame) => frame.type === 'message').length >= 12);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const localIds = local.frames.filter((frame) => frame.type === 'message').map((frame) => frame.data.id);
    expect(new Set(localIds).size).toBe(localIds.length);
    expect(incoming.every((waId) => localIds.includes(waId))).toBe(true);
    await socket.close();
    await local.close();
  });
});
