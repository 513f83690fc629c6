/** What the simulated phones were asked to send, in order, whichever gateway process sent it. */
export interface SentLog {
  /** Records an entry once: a write repeated with the same `entryId` adds nothing. */
  record(sent: {
    entryId: string;
    sessionId: string;
    waMessageId: string;
    to: string;
    type: string;
    body: string;
  }): Promise<void>;
  list(sessionId: string): Promise<{ id: string; to: string; type: string; body: string; sentAt: string }[]>;
}

/** What a phone sent and its log does not hold yet, with the id that makes writing it again harmless. */
export interface UnloggedSend {
  entryId: string;
  waMessageId: string;
  to: string;
  type: string;
  body: string;
}

export function createMemorySentLog(): SentLog {
  const sent: { sessionId: string; id: string; to: string; type: string; body: string; sentAt: string }[] =
    [];
  const entries = new Set<string>();
  return {
    record: ({ entryId, sessionId, waMessageId, to, type, body }) => {
      if (!entries.has(entryId)) {
        entries.add(entryId);
        sent.push({ sessionId, id: waMessageId, to, type, body, sentAt: new Date().toISOString() });
      }
      return Promise.resolve();
    },
    list: (sessionId) =>
      Promise.resolve(
        sent.filter((s) => s.sessionId === sessionId).map(({ sessionId: _s, ...rest }) => rest),
      ),
  };
}
