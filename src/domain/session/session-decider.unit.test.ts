import { describe, it } from 'vitest';
import { deciderSpec } from '../../../test-support/decider-spec.js';
import type { SessionCommand } from './session-commands.js';
import { sessionDecider } from './session-decider.js';
import {
  SessionAlreadyRegisteredError,
  SessionDeletedError,
  SessionNotFoundError,
} from './session-errors.js';
import type { SessionEvent } from './session-events.js';

const given = deciderSpec(sessionDecider);
const sessionId = 's-1';
const command = <T extends SessionCommand['type']>(
  c: Omit<Extract<SessionCommand, { type: T }>, 'sessionId'> & { type: T },
) => ({ ...c, sessionId }) as SessionCommand;

const registered: SessionEvent = {
  type: 'SessionRegistered',
  data: {
    sessionId,
    companyId: 'c-1',
    name: 'Atendimento',
    phoneNumber: '5511999999999',
    tokenHash: 'sha256:abc',
  },
};
const startRequested: SessionEvent = { type: 'SessionStartRequested', data: {} };
const connecting: SessionEvent = { type: 'SessionConnecting', data: { restoring: false } };
const qrIssued: SessionEvent = {
  type: 'QrCodeIssued',
  data: {
    qrCode: '2@abc',
    attempt: 1,
    issuedAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2026-01-01T00:01:00.000Z',
  },
};
const connected: SessionEvent = {
  type: 'SessionConnected',
  data: { waId: '5511999999999@c.us', phoneNumber: '5511999999999' },
};
const stopRequested: SessionEvent = { type: 'SessionStopRequested', data: {} };
const stopped: SessionEvent = { type: 'SessionStopped', data: { reason: 'stop requested' } };
const deleted: SessionEvent = { type: 'SessionDeleted', data: {} };

const register = command({
  type: 'RegisterSession',
  companyId: 'c-1',
  name: 'Atendimento',
  phoneNumber: '5511999999999',
  tokenHash: 'sha256:abc',
});
const start = command({ type: 'StartSession' });
const stop = command({ type: 'StopSession' });

describe('session decider', () => {
  describe('registry', () => {
    it('registers a new session', () => given([]).when(register).then([registered]));
    it('does not register a session twice', () =>
      given([registered]).when(register).thenThrows(SessionAlreadyRegisteredError));
    it('does not register a deleted session again', () =>
      given([registered, deleted]).when(register).thenThrows(SessionAlreadyRegisteredError));
    it('records only the fields that changed', () =>
      given([registered])
        .when(command({ type: 'UpdateSession', name: 'Vendas', phoneNumber: '5511999999999' }))
        .then([{ type: 'SessionUpdated', data: { name: 'Vendas' } }]));
    it('records nothing when an update changes nothing', () =>
      given([registered])
        .when(command({ type: 'UpdateSession', name: 'Atendimento' }))
        .thenNothing());
    it('deletes a registered session', () =>
      given([registered])
        .when(command({ type: 'DeleteSession' }))
        .then([deleted]));
    it('does not update a session that does not exist', () =>
      given([])
        .when(command({ type: 'UpdateSession', name: 'x' }))
        .thenThrows(SessionNotFoundError));
    it('does not delete a deleted session again', () =>
      given([registered, deleted])
        .when(command({ type: 'DeleteSession' }))
        .thenThrows(SessionDeletedError));
  });

  describe('start and stop', () => {
    it('starts a registered session', () => given([registered]).when(start).then([startRequested]));
    it('does not start a deleted session', () =>
      given([registered, deleted]).when(start).thenThrows(SessionDeletedError));
    it('does not start a session that does not exist', () =>
      given([]).when(start).thenThrows(SessionNotFoundError));
    it('does nothing when asked to start a session that is running', () =>
      given([registered, startRequested, connecting, connected]).when(start).thenNothing());
    it('stops a running session', () =>
      given([registered, startRequested, connecting, connected]).when(stop).then([stopRequested]));
    it('does nothing when asked to stop a stopped session', () =>
      given([registered, startRequested, connecting, stopRequested, stopped]).when(stop).thenNothing());
    it('starts again after a stop', () =>
      given([registered, startRequested, connecting, stopRequested, stopped])
        .when(start)
        .then([startRequested]));
  });

  describe('facts from WhatsApp', () => {
    it('issues a QR code that expires 60 s after it was issued', () =>
      given([registered, startRequested, connecting])
        .when(
          command({
            type: 'RecordQrCode',
            qrCode: '2@abc',
            attempt: 1,
            issuedAt: new Date('2026-01-01T00:00:00Z'),
          }),
        )
        .then([qrIssued]));
    it('records the same QR attempt once', () =>
      given([registered, startRequested, connecting, qrIssued])
        .when(
          command({
            type: 'RecordQrCode',
            qrCode: '2@abc',
            attempt: 1,
            issuedAt: new Date('2026-01-01T00:00:00Z'),
          }),
        )
        .thenNothing());
    it('ignores a QR code that arrives after a stop was requested', () =>
      given([registered, startRequested, connecting, stopRequested])
        .when(command({ type: 'RecordQrCode', qrCode: '2@x', attempt: 2, issuedAt: new Date() }))
        .thenNothing());
    it('connects with the own WhatsApp id', () =>
      given([registered, startRequested, connecting, qrIssued])
        .when(command({ type: 'RecordConnected', waId: '5511999999999@c.us', phoneNumber: '5511999999999' }))
        .then([connected]));
    it('records a connection once', () =>
      given([registered, startRequested, connecting, connected])
        .when(command({ type: 'RecordConnected', waId: '5511999999999@c.us', phoneNumber: '5511999999999' }))
        .thenNothing());
    it('records a dropped connection', () =>
      given([registered, startRequested, connecting, connected])
        .when(command({ type: 'RecordDisconnected', reason: 'phone offline', loggedOut: false }))
        .then([{ type: 'SessionDisconnected', data: { reason: 'phone offline', loggedOut: false } }]));
    it('records that the driver stopped only while it runs', () =>
      given([registered, startRequested, connecting, stopRequested, stopped])
        .when(command({ type: 'RecordStopped', reason: 'again' }))
        .thenNothing());
    it('marks a running session dead with its last heartbeat', () =>
      given([registered, startRequested, connecting, connected])
        .when(
          command({
            type: 'MarkDead',
            reason: 'missed 3 heartbeats',
            lastHeartbeatAt: new Date('2026-01-01T00:00:00Z'),
          }),
        )
        .then([
          {
            type: 'SessionMarkedDead',
            data: { reason: 'missed 3 heartbeats', lastHeartbeatAt: '2026-01-01T00:00:00.000Z' },
          },
        ]));
    it('does not mark dead a session whose driver is not running', () =>
      given([registered])
        .when(command({ type: 'MarkDead', reason: 'x', lastHeartbeatAt: null }))
        .thenNothing());
    it('ignores WhatsApp callbacks for a deleted session', () =>
      given([registered, startRequested, connecting, deleted])
        .when(command({ type: 'RecordConnected', waId: '1@c.us', phoneNumber: null }))
        .thenNothing());
    it('records a failure', () =>
      given([registered, startRequested])
        .when(command({ type: 'RecordFailure', reason: 'WhatsApp unreachable', retryable: true }))
        .then([{ type: 'SessionFailed', data: { reason: 'WhatsApp unreachable', retryable: true } }]));
  });

  describe('what else WhatsApp reports', () => {
    it('records a change of group members', () =>
      given([registered])
        .when(
          command({
            type: 'RecordParticipantsChange',
            groupJid: '120363025246125486@g.us',
            action: 'add',
            participants: ['5511955554444@c.us'],
            by: null,
          }),
        )
        .then([
          {
            type: 'GroupParticipantsChanged',
            data: {
              groupJid: '120363025246125486@g.us',
              action: 'add',
              participants: ['5511955554444@c.us'],
              by: null,
            },
          },
        ]));
    it('records an incoming call', () => {
      const call = {
        callId: 'CALL1',
        from: '5511977776666@c.us',
        isVideo: false,
        isGroup: false,
        timestamp: 1,
      };
      return given([registered])
        .when(command({ type: 'RecordIncomingCall', ...call }))
        .then([{ type: 'IncomingCallReceived', data: call }]);
    });
    it('records which phone JID a linked-device id stands for', () =>
      given([registered])
        .when(
          command({ type: 'RecordLidMapping', lid: '179950657237125@lid', phoneJid: '5511977776666@c.us' }),
        )
        .then([
          { type: 'ContactLidMapped', data: { lid: '179950657237125@lid', phoneJid: '5511977776666@c.us' } },
        ]));
    it('records nothing more for a deleted session', () =>
      given([registered, deleted])
        .when(
          command({ type: 'RecordLidMapping', lid: '179950657237125@lid', phoneJid: '5511977776666@c.us' }),
        )
        .thenNothing());
  });
});
