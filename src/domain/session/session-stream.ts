import type { EventStreamType } from '../event-stream.js';
import type { SessionCommand } from './session-commands.js';
import { sessionDecider } from './session-decider.js';
import { sessionEventSchemas, type SessionEvent } from './session-events.js';
import type { SessionState } from './session-state.js';

export const sessionStream: EventStreamType<SessionState, SessionCommand, SessionEvent> = {
  category: 'session',
  decider: sessionDecider,
  schemas: sessionEventSchemas,
  schemaVersion: 1,
};

export const sessionStreamName = (sessionId: string): string => `session-${sessionId}`;
