import type { ChatCommand } from '../domain/chat/chat-commands.js';
import type { SessionCommand } from '../domain/session/session-commands.js';
import type { CommandContext } from './command-context.js';

/** A fact WhatsApp reported, as the command that records it: what the spool keeps until it is stored. */
export type Fact =
  | { category: 'session'; streamName: string; command: SessionCommand; context: CommandContext }
  | { category: 'chat'; streamName: string; command: ChatCommand; context: CommandContext };

/**
 * Facts whose recording failed (the store out of reach), kept on local disk, in order, until they are stored:
 * WhatsApp does not deliver a message again, so a fact that reached the gateway must survive a crash meanwhile.
 */
export interface FactSpool {
  /** Keeps a fact; answers its id, or undefined when the spool is full (the fact is then only in memory). */
  add(fact: Fact): Promise<string | undefined>;
  /** Forgets a fact once it is stored. */
  remove(id: string): Promise<void>;
  /** Every kept fact, oldest first. */
  pending(): Promise<{ id: string; fact: Fact }[]>;
  /** How many facts are kept now. */
  size(): number;
}

/** No spool: a fact whose recording fails is retried in memory only (tests, or a deployment that opts out). */
export const noFactSpool: FactSpool = {
  add: () => Promise.resolve(undefined),
  remove: () => Promise.resolve(),
  pending: () => Promise.resolve([]),
  size: () => 0,
};
