import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { startGatewayPair } from '../../test-support/gateway-pair.js';

/**
 * API.md "Media and contacts": number check and read receipts, over HTTP, on two gateway processes sharing
 * PostgreSQL and NATS. The session runs on process A; every call goes through process B, so the driver calls
 * travel to A over the bus.
 */
describe('number check and read receipts across two gateway processes', () => {
  let pair: Awaited<ReturnType<typeof startGatewayPair>>;
  let call: ReturnType<typeof pair.caller>;
  let sessionId: string;
  const contact = '5511988887777';

  beforeAll(async () => {
    pair = await startGatewayPair('contacts');
    call = pair.caller('acme');
    sessionId = (await call(pair.a.url, 'POST', '/sessions', { Session_Name: 'Contatos' })).body.Id as string;
    await call(pair.a.url, 'POST', `/whatsapp/sessions/${sessionId}/start`);
    await call(pair.a.url, 'POST', `/simulator/sessions/${sessionId}/scan`);
    expect(pair.a.supervisor.driverSession(sessionId)).toBeDefined();
  });
  afterAll(async () => {
    await pair?.dispose();
  });

  const exists = (number: string, url = pair.b.url) =>
    call(url, 'GET', `/whatsapp/sessions/${sessionId}/contacts/${encodeURIComponent(number)}/exists`);

  it('answers whether a number is on WhatsApp, with the JID WhatsApp knows it by', async () => {
    expect(await exists(contact)).toMatchObject({
      status: 200,
      body: { exists: true, jid: `${contact}@c.us` },
    });
    expect((await exists(`+${contact}`)).body).toEqual({ exists: true, jid: `${contact}@c.us` });
    expect((await exists(`${contact}@c.us`)).body).toEqual({ exists: true, jid: `${contact}@c.us` });
    // The simulator's rule: the unassigned country code 999 is not on WhatsApp.
    expect((await exists('999123456789')).body).toEqual({ exists: false, jid: null });
  });

  it('refuses a malformed number with 400, and another company with 404', async () => {
    for (const number of ['abc', '12', '120363000000000000@g.us']) {
      const reply = await exists(number);
      expect(reply.status, number).toBe(400);
    }
    const other = pair.caller('globex');
    const foreign = await other(
      pair.b.url,
      'GET',
      `/whatsapp/sessions/${sessionId}/contacts/${contact}/exists`,
    );
    expect(foreign.status).toBe(404);
  });

  it('refuses at once with 422 a send to a number just found not to be on WhatsApp', async () => {
    const missing = '999123450000';
    expect((await exists(missing)).body.exists).toBe(false);
    const sent = await call(pair.b.url, 'POST', '/whatsapp/messages/send', {
      sessionId,
      to: missing,
      message: 'Olá',
    });
    expect(sent.status).toBe(422);
    expect(sent.body.message).toBe(`O número ${missing} não está no WhatsApp`);
    const chats = (await call(pair.a.url, 'GET', `/whatsapp/sessions/${sessionId}/chats`)).body.chats as {
      id: string;
    }[];
    expect(chats.map((chat) => chat.id)).not.toContain(`${missing}@c.us`);
  });

  it('marks a chat read: unread 0 on every process at once, and the contact gets the receipt', async () => {
    for (const body of ['Oi', 'Tudo bem?', 'Alô?'])
      await call(pair.b.url, 'POST', `/simulator/sessions/${sessionId}/incoming`, { from: contact, body });
    const unread = async (url: string) =>
      (
        (await call(url, 'GET', `/whatsapp/sessions/${sessionId}/chats`)).body.chats as {
          id: string;
          unreadCount: number;
        }[]
      ).find((chat) => chat.id === `${contact}@c.us`)?.unreadCount;
    expect(await unread(pair.b.url)).toBe(3);

    const read = await call(pair.b.url, 'POST', `/whatsapp/sessions/${sessionId}/chats/${contact}@c.us/read`);
    expect(read.status).toBe(204);
    expect(await unread(pair.a.url)).toBe(0);
    expect(await unread(pair.b.url)).toBe(0);
    const sent = (await call(pair.b.url, 'GET', `/simulator/sessions/${sessionId}/sent`)).body.messages as {
      to: string;
      type: string;
    }[];
    expect(sent).toContainEqual(expect.objectContaining({ type: 'seen', to: `${contact}@c.us` }));
  });

  it('documents the new routes in OpenAPI', async () => {
    const paths = Object.keys(
      ((await (await fetch(`${pair.b.url}/docs/json`)).json()) as { paths: Record<string, unknown> }).paths,
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        '/whatsapp/sessions/{id}/contacts/{number}/exists',
        '/whatsapp/sessions/{id}/chats/{chatId}/read',
        '/simulator/sessions/{id}/pair',
      ]),
    );
  });

  it('answers 404 for a chat the session never had, and 409 once the session is stopped', async () => {
    const unknown = await call(
      pair.b.url,
      'POST',
      `/whatsapp/sessions/${sessionId}/chats/5511900000000/read`,
    );
    expect(unknown.status).toBe(404);
    expect((await call(pair.a.url, 'POST', `/whatsapp/sessions/${sessionId}/stop`)).status).toBe(200);
    const stopped = await call(pair.b.url, 'POST', `/whatsapp/sessions/${sessionId}/chats/${contact}/read`);
    expect(stopped.status).toBe(409);
    expect((await exists('5511911112222')).status).toBe(409);
  });
});

describe('AUTO_READ', () => {
  let pair: Awaited<ReturnType<typeof startGatewayPair>>;

  beforeAll(async () => {
    pair = await startGatewayPair('autoread', { AUTO_READ: 'true' });
  });
  afterAll(async () => {
    await pair?.dispose();
  });

  it('marks each chat read as its messages arrive', async () => {
    const call = pair.caller('acme');
    const id = (await call(pair.a.url, 'POST', '/sessions', { Session_Name: 'Auto' })).body.Id as string;
    await call(pair.a.url, 'POST', `/whatsapp/sessions/${id}/start`);
    await call(pair.a.url, 'POST', `/simulator/sessions/${id}/scan`);
    await call(pair.b.url, 'POST', `/simulator/sessions/${id}/incoming`, {
      from: '5511977776666',
      body: 'Oi',
    });
    await eventually(async () => {
      const sent = (await call(pair.b.url, 'GET', `/simulator/sessions/${id}/sent`)).body.messages as {
        type: string;
      }[];
      return sent.some((entry) => entry.type === 'seen');
    });
    await eventually(async () => {
      const chats = (await call(pair.b.url, 'GET', `/whatsapp/sessions/${id}/chats`)).body.chats as {
        unreadCount: number;
      }[];
      return chats[0]?.unreadCount === 0;
    });
  });
});
