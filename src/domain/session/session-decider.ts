import type { Decider } from '../decider.js';
import type { SessionCommand } from './session-commands.js';
import {
  SessionAlreadyConnectedError,
  SessionAlreadyRegisteredError,
  SessionDeletedError,
  SessionNotFoundError,
} from './session-errors.js';
import type { SessionEvent } from './session-events.js';
import { initialSessionState, qrCodeLifetimeMs, type SessionState } from './session-state.js';

export const sessionDecider: Decider<SessionState, SessionCommand, SessionEvent> = {
  initialState: initialSessionState,

  decide(command, state) {
    if (command.type === 'RegisterSession') {
      if (state.lifecycle !== 'unregistered') throw new SessionAlreadyRegisteredError(command.sessionId);
      const { sessionId, companyId, name, phoneNumber, tokenHash } = command;
      return [{ type: 'SessionRegistered', data: { sessionId, companyId, name, phoneNumber, tokenHash } }];
    }
    if (state.lifecycle === 'unregistered') throw new SessionNotFoundError(command.sessionId);
    if (state.lifecycle === 'deleted') {
      // WhatsApp may still call back while a deleted session's driver closes: nothing to record.
      if (command.type.startsWith('Record') || command.type === 'MarkDead') return [];
      throw new SessionDeletedError(command.sessionId);
    }

    switch (command.type) {
      case 'UpdateSession': {
        const changes = changedFields(command, state);
        return Object.keys(changes).length ? [{ type: 'SessionUpdated', data: changes }] : [];
      }
      case 'DeleteSession':
        return [{ type: 'SessionDeleted', data: {} }];
      case 'StartSession':
        if (command.phoneNumber && state.connection === 'connected')
          throw new SessionAlreadyConnectedError(command.sessionId);
        return state.desired === 'running' ? [] : [{ type: 'SessionStartRequested', data: {} }];
      case 'StopSession':
        return state.desired === 'stopped' && !state.driverRunning
          ? []
          : [{ type: 'SessionStopRequested', data: {} }];
      case 'RecordConnecting':
        if (state.desired !== 'running' || state.connection === 'connecting') return [];
        return [{ type: 'SessionConnecting', data: { restoring: command.restoring } }];
      case 'RecordQrCode': {
        if (state.desired !== 'running' || state.qr?.attempt === command.attempt) return [];
        const expiresAt = new Date(command.issuedAt.getTime() + qrCodeLifetimeMs).toISOString();
        const data = {
          qrCode: command.qrCode,
          attempt: command.attempt,
          issuedAt: command.issuedAt.toISOString(),
          expiresAt,
        };
        return [{ type: 'QrCodeIssued', data }];
      }
      case 'RecordPairingCode': {
        if (state.desired !== 'running') return [];
        const { pairingCode, phoneNumber, issuedAt } = command;
        return [
          { type: 'PairingCodeIssued', data: { pairingCode, phoneNumber, issuedAt: issuedAt.toISOString() } },
        ];
      }
      case 'RecordConnected':
        if (state.connection === 'connected' && state.waId === command.waId) return [];
        return [{ type: 'SessionConnected', data: { waId: command.waId, phoneNumber: command.phoneNumber } }];
      case 'RecordDisconnected':
        if (state.connection === 'disconnected' && !(command.loggedOut && state.waId)) return [];
        return [
          { type: 'SessionDisconnected', data: { reason: command.reason, loggedOut: command.loggedOut } },
        ];
      case 'RecordStopped':
        return state.driverRunning ? [{ type: 'SessionStopped', data: { reason: command.reason } }] : [];
      case 'RecordFailure':
        return [{ type: 'SessionFailed', data: { reason: command.reason, retryable: command.retryable } }];
      case 'MarkDead': {
        if (!state.driverRunning) return [];
        const lastHeartbeatAt = command.lastHeartbeatAt?.toISOString() ?? null;
        return [{ type: 'SessionMarkedDead', data: { reason: command.reason, lastHeartbeatAt } }];
      }
      // Facts from WhatsApp that change nothing the session decides on; a repeated report is the same event id.
      case 'RecordParticipantsChange': {
        const { groupJid, action, participants, by } = command;
        return [{ type: 'GroupParticipantsChanged', data: { groupJid, action, participants, by } }];
      }
      case 'RecordIncomingCall': {
        const { callId, from, isVideo, isGroup, timestamp } = command;
        return [{ type: 'IncomingCallReceived', data: { callId, from, isVideo, isGroup, timestamp } }];
      }
      case 'RecordLidMapping':
        return [{ type: 'ContactLidMapped', data: { lid: command.lid, phoneJid: command.phoneJid } }];
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'SessionRegistered':
        return {
          ...state,
          lifecycle: 'registered',
          companyId: event.data.companyId,
          name: event.data.name,
          phoneNumber: event.data.phoneNumber,
        };
      case 'SessionUpdated':
        return {
          ...state,
          name: event.data.name ?? state.name,
          phoneNumber: event.data.phoneNumber === undefined ? state.phoneNumber : event.data.phoneNumber,
        };
      case 'SessionDeleted':
        return { ...state, lifecycle: 'deleted', desired: 'stopped' };
      case 'SessionStartRequested':
        return { ...state, desired: 'running' };
      case 'SessionConnecting':
        return { ...state, driverRunning: true, connection: 'connecting', qr: null };
      case 'QrCodeIssued':
        return {
          ...state,
          connection: 'qr',
          qr: { attempt: event.data.attempt, expiresAt: event.data.expiresAt },
        };
      case 'PairingCodeIssued':
        return { ...state, connection: 'pairing', qr: null };
      case 'SessionConnected':
        return { ...state, connection: 'connected', waId: event.data.waId, qr: null };
      case 'SessionDisconnected':
        return {
          ...state,
          connection: 'disconnected',
          qr: null,
          waId: event.data.loggedOut ? null : state.waId,
        };
      case 'SessionStopRequested':
        return { ...state, desired: 'stopped' };
      case 'SessionStopped':
      case 'SessionMarkedDead':
        return { ...state, driverRunning: false, connection: 'disconnected', qr: null };
      case 'SessionFailed':
        return {
          ...state,
          driverRunning: false,
          connection: 'disconnected',
          qr: null,
          desired: event.data.retryable ? state.desired : 'stopped',
        };
      case 'GroupParticipantsChanged':
      case 'IncomingCallReceived':
      case 'ContactLidMapped':
        return state;
    }
  },
};

function changedFields(command: Extract<SessionCommand, { type: 'UpdateSession' }>, state: SessionState) {
  const changes: { name?: string; phoneNumber?: string | null; tokenHash?: string | null } = {};
  if (command.name !== undefined && command.name !== state.name) changes.name = command.name;
  if (command.phoneNumber !== undefined && command.phoneNumber !== state.phoneNumber)
    changes.phoneNumber = command.phoneNumber;
  // The state keeps no secret, so a given token always counts as a change (it may be a rotation).
  if (command.tokenHash !== undefined) changes.tokenHash = command.tokenHash;
  return changes;
}
