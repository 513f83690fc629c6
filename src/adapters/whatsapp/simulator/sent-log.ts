/** What the simulated phones were asked to send, in order, whichever gateway process sent it. */
export interface SentLog {
  record(sent: {
    sessionId: string;
    waMessageId: string;
    to: string;
    type: string;
    body: string;
  }): Promise<void>;
  list(sessionId: string): Promise<{ id: string; to: string; type: string; body: string; sentAt: string }[]>;
}

export function createMemorySentLog(): SentLog {
  const sent: { sessionId: string; id: string; to: string; type: string; body: string; sentAt: string }[] =
    [];
  return {
    record: ({ sessionId, waMessageId, to, type, body }) =>
      Promise.resolve(
        void sent.push({ sessionId, id: waMessageId, to, type, body, sentAt: new Date().toISOString() }),
      ),
    list: (sessionId) =>
      Promise.resolve(
        sent.filter((s) => s.sessionId === sessionId).map(({ sessionId: _s, ...rest }) => rest),
      ),
  };
}
