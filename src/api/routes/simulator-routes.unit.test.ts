import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSimulatorDriver,
  type SimulatorDriver,
} from '../../adapters/whatsapp/simulator/simulator-driver.js';
import type { DriverCallbacks, IncomingWhatsAppMessage } from '../../adapters/whatsapp/port.js';
import { registerErrorHandling } from '../error-handler.js';
import { simulatorRoutes } from './simulator-routes.js';

const sessionId = '6f1d3c0e-8a7b-4f2e-9c5d-1a2b3c4d5e6f';

describe('simulator routes: WhatsApp as it really is', () => {
  const messages: IncomingWhatsAppMessage[] = [];
  const facts: string[] = [];
  const callbacks: DriverCallbacks = {
    onQrCode: () => undefined,
    onStatus: () => undefined,
    onMessage: (message) => void messages.push(message),
    onAck: () => undefined,
    onRevoked: () => void facts.push('revoke'),
    onEdited: () => void facts.push('edit'),
    onReaction: () => void facts.push('reaction'),
    onPollVote: () => void facts.push('vote'),
    onParticipantsChanged: () => void facts.push('group-update'),
    onLidMapped: () => void facts.push('lid'),
  };
  let simulator: SimulatorDriver;
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  beforeAll(async () => {
    simulator = createSimulatorDriver({ settings: { ackDelaysMs: [1, 2, 3] } });
    await app.register(simulatorRoutes(simulator));
    await simulator.start({ sessionId: sessionId, callbacks });
    await simulator.scan(sessionId);
  });
  afterAll(async () => {
    await app.close();
    await simulator.close();
  });
  const post = (path: string, payload: object) =>
    app.inject({ method: 'POST', url: `/simulator/sessions/${sessionId}/${path}`, payload });

  it('takes a @lid sender with its phone, a story and an encrypted message', async () => {
    const lid = await post('incoming', { from: '179950657237125@lid', phone: '5511977776666', body: 'Oi' });
    expect(lid.statusCode).toBe(202);
    expect((await post('incoming', { from: 'status@broadcast', body: 'story' })).statusCode).toBe(202);
    expect((await post('incoming', { from: '5511977776666', body: 'Oi!', encrypted: true })).statusCode).toBe(
      202,
    );
    expect(messages.map((m) => [m.chatJid, m.body])).toEqual([
      ['5511977776666@c.us', 'Oi'],
      ['5511977776666@c.us', 'Oi!'],
    ]);
  });

  it('plays reactions, edits, votes, revocations and group changes', async () => {
    const sent = await post('incoming', {
      from: '5511977776666',
      body: 'Almoço?',
      location: { lat: 1, lng: 2 },
    });
    const { id } = sent.json<{ id: string }>();
    const react = await post('react', { from: '5511977776666', messageId: id, emoji: '👍' });
    expect(react.statusCode).toBe(202);
    expect(react.json()).toEqual({ id: expect.stringMatching(/^false_/) as unknown });
    expect((await post('edit', { from: '5511977776666', messageId: id, body: 'Janta?' })).statusCode).toBe(
      204,
    );
    expect((await post('vote', { from: '5511977776666', messageId: id, options: ['Sim'] })).statusCode).toBe(
      204,
    );
    expect((await post('revoke', { from: '5511977776666', messageId: id })).statusCode).toBe(204);
    const group = { groupId: '120363025246125486@g.us', action: 'promote', participants: ['5511955554444'] };
    expect((await post('group-update', group)).statusCode).toBe(204);
    expect(facts.slice(-5)).toEqual(['reaction', 'edit', 'vote', 'revoke', 'group-update']);
    expect(messages.at(-1)?.location).toEqual({ lat: 1, lng: 2, description: null });
  });

  it('refuses a message id that names no chat', async () =>
    expect((await post('react', { from: '5511977776666', messageId: 'nope', emoji: '👍' })).statusCode).toBe(
      400,
    ));
});
