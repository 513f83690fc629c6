import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/eventually.js';
import { openSocket, type TestGateway } from '../../test-support/gateway-harness.js';
import { startSendingGateway } from '../../test-support/sending-gateway.js';

type Group = { id: string; subject: string | null; participants: { jid: string; isAdmin: boolean }[] };

const ana = '5511966665555';
const bia = '5511944443333';
const caio = '5511933332222';
const jid = (number: string) => `${number}@c.us`;

describe('groups on the simulator (PostgreSQL, NATS): create, list, change participants, leave', () => {
  let api: TestGateway;
  let admin: string;
  let sessionId: string;

  beforeAll(async () => {
    ({ api, admin, sessionId } = await startSendingGateway());
  });
  afterAll(async () => {
    await api?.dispose();
  });

  const groupsPath = () => `/whatsapp/sessions/${sessionId}/groups`;
  const list = async (token = admin) =>
    (await api.call('GET', groupsPath(), { token })).body.groups as Group[];
  const create = (body: Record<string, unknown>, token = admin) =>
    api.call('POST', groupsPath(), { token, body });
  const change = (groupId: string, body: Record<string, unknown>, token = admin) =>
    api.call('POST', `${groupsPath()}/${groupId}/participants`, { token, body });
  const leave = (groupId: string, token = admin) =>
    api.call('POST', `${groupsPath()}/${groupId}/leave`, { token });
  const logLines = async (eventType: string) => {
    const client = new pg.Client({ connectionString: api.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ Message: string }>(
        `select "Message" from "Session_Logs" where "Session_Id" = $1 and "Event_Type" = $2 order by "Created_At"`,
        [sessionId, eventType],
      );
      return rows.map((row) => row.Message);
    } finally {
      await client.end();
    }
  };

  it('creates a group with the session as admin, lists it at once, and pushes a group_update frame', async () => {
    const ws = await openSocket(`${api.wsUrl}/ws/whatsapp/${sessionId}?token=${admin}`);
    const created = await create({ subject: 'Equipe de vendas', participants: [ana, `${bia}@c.us`] });
    expect(created.status).toBe(201);
    const group = created.body as unknown as Group & { refused: unknown[] };
    expect(group.id).toMatch(/@g\.us$/);
    expect(group.subject).toBe('Equipe de vendas');
    expect(group.refused).toEqual([]);
    const [owner, ...members] = group.participants;
    expect(owner?.isAdmin).toBe(true);
    expect(members).toEqual([
      { jid: jid(ana), isAdmin: false },
      { jid: jid(bia), isAdmin: false },
    ]);
    expect((await list()).find((g) => g.id === group.id)).toEqual({
      ...group,
      refused: undefined,
      description: null,
    });
    const frame = await ws.next((f) => f.type === 'group_update' && f.data.chatId === group.id);
    expect(frame.data).toMatchObject({ action: 'create' });
    expect(await logLines('GroupCreated')).toEqual([expect.stringContaining('Equipe de vendas') as unknown]);
    await ws.close();
  });

  it('adds, removes, promotes and demotes, and the list shows each change as soon as the call answers', async () => {
    const group = (await create({ subject: 'Suporte', participants: [ana] })).body as unknown as Group;
    const added = await change(group.id, { add: [bia, caio] });
    expect(added.status).toBe(200);
    expect((added.body as unknown as Group).participants.map((p) => p.jid).slice(1)).toEqual([
      jid(ana),
      jid(bia),
      jid(caio),
    ]);
    expect((await change(group.id, { remove: [caio], promote: [ana] })).status).toBe(200);
    let listed = (await list()).find((g) => g.id === group.id)!;
    expect(listed.participants.slice(1)).toEqual([
      { jid: jid(ana), isAdmin: true },
      { jid: jid(bia), isAdmin: false },
    ]);
    expect((await change(group.id, { demote: [ana] })).status).toBe(200);
    listed = (await list()).find((g) => g.id === group.id)!;
    expect(listed.participants.find((p) => p.jid === jid(ana))?.isAdmin).toBe(false);
    expect(await logLines('GroupParticipantsUpdated')).toEqual(
      expect.arrayContaining([`Group ${group.id}: remove ${jid(caio)} (by the session)`]),
    );
  });

  it('answers 422 with WhatsApp’s reason when removing a non-participant, and records nothing', async () => {
    const group = (await create({ subject: 'Diretoria', participants: [ana] })).body as unknown as Group;
    const refused = await change(group.id, { remove: [caio] });
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain('not a participant');
    expect(
      (await list())
        .find((g) => g.id === group.id)
        ?.participants.map((p) => p.jid)
        .slice(1),
    ).toEqual([jid(ana)]);
    // Someone not on WhatsApp (the simulator's 999 country code) is refused per participant.
    const partly = await change(group.id, { add: [bia, '999123456789'] });
    expect(partly.status).toBe(200);
    expect(partly.body.refused).toEqual([
      { jid: '999123456789@c.us', reason: 'not on WhatsApp', action: 'add' },
    ]);
  });

  it('leaves a group: it is gone from the list, and later commands on it are 404', async () => {
    const group = (await create({ subject: 'Temporário', participants: [ana] })).body as unknown as Group;
    expect((await leave(group.id)).status).toBe(204);
    expect((await list()).some((g) => g.id === group.id)).toBe(false);
    expect((await leave(group.id)).status).toBe(404);
    expect((await change(group.id, { add: [bia] })).status).toBe(404);
    expect(await logLines('GroupLeft')).toEqual(expect.arrayContaining([`Left group ${group.id}`]));
  });

  it('shows a change WhatsApp reports (the simulator’s group-update) in the list, and the phone keeps it', async () => {
    const group = (await create({ subject: 'Clientes', participants: [ana] })).body as unknown as Group;
    const played = await api.call('POST', `/simulator/sessions/${sessionId}/group-update`, {
      token: admin,
      body: { groupId: group.id, action: 'add', participants: [caio] },
    });
    expect(played.status).toBe(204);
    expect((await list()).find((g) => g.id === group.id)?.participants.map((p) => p.jid)).toContain(
      jid(caio),
    );
    // WhatsApp now knows caio as a member: removing him works.
    expect((await change(group.id, { remove: [caio] })).status).toBe(200);
  });

  it('refuses bad input with 400', async () => {
    expect((await create({ subject: '  ', participants: [ana] })).status).toBe(400);
    expect((await create({ subject: 'X', participants: ['abc'] })).status).toBe(400);
    expect((await create({ subject: 'X', participants: ['120363000000000000@g.us'] })).status).toBe(400);
    expect((await create({ subject: 'X', participants: [] })).status).toBe(400);
    const group = (await create({ subject: 'Válido', participants: [ana] })).body as unknown as Group;
    expect((await change(group.id, {})).status).toBe(400);
    expect((await change(group.id, { add: [], remove: [] })).status).toBe(400);
    expect((await change(group.id, { add: ['12'] })).status).toBe(400);
    expect((await change(jid(ana), { add: [bia] })).status).toBe(400);
    expect((await leave('not-a-group')).status).toBe(400);
  });

  it('lets ADMIN and MANAGER manage groups, not AGENT (403), and hides them from another company (404)', async () => {
    const manager = api.token('acme', 'MANAGER');
    const agent = api.token('acme', 'AGENT');
    const group = (await create({ subject: 'Gerência', participants: [ana] }, manager))
      .body as unknown as Group;
    expect(group.id).toMatch(/@g\.us$/);
    expect((await change(group.id, { add: [bia] }, manager)).status).toBe(200);
    expect((await api.call('GET', groupsPath(), { token: manager })).status).toBe(200);
    expect((await api.call('GET', groupsPath(), { token: agent })).status).toBe(403);
    expect((await create({ subject: 'Agente', participants: [ana] }, agent)).status).toBe(403);
    expect((await change(group.id, { add: [caio] }, agent)).status).toBe(403);
    expect((await leave(group.id, agent)).status).toBe(403);
    const other = api.token('globex', 'ADMIN');
    expect((await api.call('GET', groupsPath(), { token: other })).status).toBe(404);
    expect((await create({ subject: 'Outra', participants: [ana] }, other)).status).toBe(404);
    expect((await leave(group.id, other)).status).toBe(404);
  });

  it('answers 409 while the session is not connected', async () => {
    const group = (await create({ subject: 'Antes da queda', participants: [ana] })).body as unknown as Group;
    await api.call('POST', `/simulator/sessions/${sessionId}/disconnect`, {
      token: admin,
      body: { reason: 'phone offline' },
    });
    await eventually(
      async () =>
        (await api.call('GET', `/whatsapp/sessions/${sessionId}/status`, { token: admin })).body
          .isConnected === false,
    );
    expect((await create({ subject: 'Offline', participants: [ana] })).status).toBe(409);
    expect((await change(group.id, { add: [bia] })).status).toBe(409);
    expect((await leave(group.id)).status).toBe(409);
  });

  it('answers 501 with the reason for buttons and list messages, which WhatsApp no longer delivers', async () => {
    for (const path of ['send-buttons', 'send-list']) {
      const reply = await api.call('POST', `/whatsapp/messages/${path}`, {
        token: api.token('acme', 'AGENT'),
        body: { sessionId, to: ana, message: 'Escolha', buttons: [{ id: '1', text: 'Sim' }] },
      });
      expect(reply.status, path).toBe(501);
      expect(reply.body.message).toContain('Cloud API');
    }
  });

  it('documents the group routes, with their bodies, in the OpenAPI document', async () => {
    const docs = (await api.call('GET', '/docs/json')).body as unknown as {
      paths: Record<string, { get?: unknown; post?: { requestBody?: unknown } }>;
    };
    expect(docs.paths['/whatsapp/sessions/{id}/groups']?.get).toBeDefined();
    expect(docs.paths['/whatsapp/sessions/{id}/groups']?.post?.requestBody).toBeDefined();
    expect(
      docs.paths['/whatsapp/sessions/{id}/groups/{groupId}/participants']?.post?.requestBody,
    ).toBeDefined();
    expect(docs.paths['/whatsapp/sessions/{id}/groups/{groupId}/leave']?.post).toBeDefined();
    expect(docs.paths['/whatsapp/messages/send-buttons']?.post).toBeDefined();
  });
});
