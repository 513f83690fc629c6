import { describe, it } from 'vitest';
import { deciderSpec } from '../../../test-support/decider-spec.js';
import type { SessionCommand } from './session-commands.js';
import { sessionDecider } from './session-decider.js';
import { SessionAlreadyConnectedError } from './session-errors.js';
import type { SessionEvent } from './session-events.js';

const given = deciderSpec(sessionDecider);
const sessionId = 's-1';
const registered: SessionEvent = {
  type: 'SessionRegistered',
  data: { sessionId, companyId: 'c-1', name: 'Atendimento', phoneNumber: null, tokenHash: null },
};
const startRequested: SessionEvent = { type: 'SessionStartRequested', data: {} };
const connecting: SessionEvent = { type: 'SessionConnecting', data: { restoring: false } };
const connected: SessionEvent = {
  type: 'SessionConnected',
  data: { waId: '5511999999999@c.us', phoneNumber: '5511999999999' },
};
const stopRequested: SessionEvent = { type: 'SessionStopRequested', data: {} };
const issuedAt = new Date('2026-01-01T00:00:00.000Z');
const pairingIssued: SessionEvent = {
  type: 'PairingCodeIssued',
  data: { pairingCode: 'ABCD-EFGH', phoneNumber: '5511999999999', issuedAt: issuedAt.toISOString() },
};
const startByPhone = { type: 'StartSession', sessionId, phoneNumber: '5511999999999' } as SessionCommand;
const recordPairing = {
  type: 'RecordPairingCode',
  sessionId,
  pairingCode: 'ABCD-EFGH',
  phoneNumber: '5511999999999',
  issuedAt,
} as SessionCommand;

describe('session decider: linking by phone number', () => {
  it('asks a stopped session to start by phone number', () =>
    given([registered]).when(startByPhone).then([startRequested]));
  it('refuses to link a connected session by phone number', () =>
    given([registered, startRequested, connecting, connected])
      .when(startByPhone)
      .thenThrows(SessionAlreadyConnectedError));
  it('records the pairing code WhatsApp issued while the session is wanted running', () =>
    given([registered, startRequested, connecting]).when(recordPairing).then([pairingIssued]));
  it('records no pairing code for a session asked to stop', () =>
    given([registered, startRequested, connecting, stopRequested]).when(recordPairing).thenNothing());
});
