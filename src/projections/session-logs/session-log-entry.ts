import type { JsonObject } from '../../adapters/event-store/port.js';
import type { ProjectedEvent } from '../projected-event.js';

export interface SessionLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  /** The event's facts for the log, without secrets (tokens, QR codes) and without message contents. */
  details: JsonObject;
}

/** How an event reads in a session's log; undefined for chat events that are neither warnings nor errors. */
export function sessionLogEntry(event: ProjectedEvent): SessionLogEntry | undefined {
  switch (event.type) {
    case 'SessionRegistered':
      return info(`Session "${event.data.name}" registered`, {
        name: event.data.name,
        phoneNumber: event.data.phoneNumber,
      });
    case 'SessionUpdated':
      return info('Session updated', { changed: Object.keys(event.data) });
    case 'SessionDeleted':
      return info('Session deleted', {});
    case 'SessionStartRequested':
      return info('Start requested', {});
    case 'SessionConnecting':
      return info(event.data.restoring ? 'Connecting with the saved login' : 'Connecting', {
        restoring: event.data.restoring,
      });
    case 'QrCodeIssued':
      return info(`QR code issued (attempt ${event.data.attempt})`, {
        attempt: event.data.attempt,
        expiresAt: event.data.expiresAt,
      });
    case 'PairingCodeIssued':
      return info(`Pairing code issued for ${event.data.phoneNumber}`, {
        phoneNumber: event.data.phoneNumber,
      });
    case 'SessionConnected':
      return info(`Connected as ${event.data.waId}`, {
        waId: event.data.waId,
        phoneNumber: event.data.phoneNumber,
      });
    case 'SessionDisconnected':
      return {
        level: 'warn',
        message: event.data.loggedOut
          ? `The phone unlinked this session: ${event.data.reason}`
          : `Disconnected: ${event.data.reason}`,
        details: { reason: event.data.reason, loggedOut: event.data.loggedOut },
      };
    case 'SessionStopRequested':
      return info('Stop requested', {});
    case 'SessionStopped':
      return info(`Stopped: ${event.data.reason}`, { reason: event.data.reason });
    case 'SessionFailed':
      return {
        level: 'error',
        message: `Failed: ${event.data.reason}`,
        details: { reason: event.data.reason, retryable: event.data.retryable },
      };
    case 'SessionMarkedDead':
      return {
        level: 'error',
        message: `Marked dead: ${event.data.reason}`,
        details: { reason: event.data.reason, lastHeartbeatAt: event.data.lastHeartbeatAt },
      };
    case 'MessageSendFailed': {
      const { messageId, reason, attempt, final } = event.data;
      return {
        level: final ? 'error' : 'warn',
        message: final
          ? `Message ${messageId} could not be sent: ${reason}`
          : `Sending message ${messageId} failed (attempt ${attempt}), retrying: ${reason}`,
        details: { messageId, reason, attempt, final },
      };
    }
    case 'MediaDownloaded': {
      const { waMessageId, mimetype, declaredMimetype } = event.data;
      if (!declaredMimetype) return undefined;
      return {
        level: 'warn',
        message: `The file of message ${waMessageId} was declared ${declaredMimetype} but is ${mimetype}; kept as ${mimetype}`,
        details: { waMessageId, mimetype, declaredMimetype },
      };
    }
    case 'MediaDownloadFailed':
      return {
        level: 'warn',
        message: `The file of message ${event.data.waMessageId} could not be kept: ${event.data.reason}`,
        details: { waMessageId: event.data.waMessageId, reason: event.data.reason },
      };
    case 'GroupParticipantsChanged': {
      const { groupJid, action, participants, by } = event.data;
      return info(`Group ${groupJid}: ${action} ${memberList(participants)}${by ? ` (by ${by})` : ''}`, {
        groupJid,
        action,
        participants,
        by,
      });
    }
    case 'IncomingCallReceived': {
      const { callId, from, isVideo, isGroup } = event.data;
      const caller = from || 'an erased contact';
      return info(`${isVideo ? 'Video call' : 'Call'} from ${caller} (not answered: WhatsApp Web cannot)`, {
        callId,
        from,
        isVideo,
        isGroup,
      });
    }
    case 'GroupCreated': {
      const { subject, participants } = event.data;
      const members = participants.map((p) => p.jid);
      return info(`Group ${groupOfStream(event)} created: ${subject} (${memberList(members)})`, {
        groupJid: groupOfStream(event),
        action: 'create',
        subject,
        participants: members,
      });
    }
    case 'GroupParticipantsUpdated': {
      const { action, participants } = event.data;
      return info(`Group ${groupOfStream(event)}: ${action} ${memberList(participants)} (by the session)`, {
        groupJid: groupOfStream(event),
        action,
        participants,
      });
    }
    case 'GroupLeft':
      return info(`Left group ${groupOfStream(event)}`, { groupJid: groupOfStream(event), action: 'leave' });
    case 'ContactLidMapped':
      return info(`${event.data.lid} is ${event.data.phoneJid || 'an erased contact'}`, { ...event.data });
    default:
      return undefined;
  }
}

/** A group's members as a log line names them; an erased member's id reads as ''. */
const memberList = (ids: readonly string[]): string => ids.map((id) => id || 'an erased contact').join(', ');

const info = (message: string, details: JsonObject): SessionLogEntry => ({ level: 'info', message, details });

/** The group of an event on a group's chat stream (`chat-<sessionId>_<groupJid>`). */
const groupOfStream = (event: ProjectedEvent): string =>
  event.streamName.slice(`chat-${event.metadata.sessionId}_`.length);
