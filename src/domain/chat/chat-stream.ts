import type { EventStreamType } from '../event-stream.js';
import type { ChatCommand } from './chat-commands.js';
import { chatDecider } from './chat-decider.js';
import { chatEventSchemas, type ChatEvent } from './chat-events.js';
import type { ChatState } from './chat-state.js';

export const chatStream: EventStreamType<ChatState, ChatCommand, ChatEvent> = {
  category: 'chat',
  decider: chatDecider,
  schemas: chatEventSchemas,
  schemaVersion: 1,
  snapshotVersion: 1,
};

export const chatStreamName = (sessionId: string, chatJid: string): string => `chat-${sessionId}_${chatJid}`;
