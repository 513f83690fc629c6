import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient, StartReply } from '../api-client.js';
import { createFrameHub } from '../frame-hub.js';
import { useTexts } from '../i18n-context.js';
import { openLiveSocket } from '../live-socket.js';
import { mayAudit, mayManage, type SignedIn } from '../token.js';
import type { ConnectionStatus, Session } from '../types.js';
import { AuditPanel } from './audit-panel.js';
import { ChatsPanel, type MarkedRead } from './chats-panel.js';
import { LinkPanel, type Linking } from './link-panel.js';
import { MessagesPanel } from './messages-panel.js';
import { SessionsPanel } from './sessions-panel.js';
import { StatsPanel } from './stats-panel.js';
import { WebhooksPage } from './webhooks-page.js';

const refreshEveryMs = 15_000;
const statusNames: ConnectionStatus[] = ['disconnected', 'connecting', 'qr', 'connected'];

export interface LiveStatus {
  status: ConnectionStatus;
  /** When the console learnt it (a frame or a reply), to tell it from an older registry read. */
  at: number;
  linking?: Linking;
}

interface Props {
  user: SignedIn;
  api: ApiClient;
  onSignOut: () => void;
  onTokenRefused: () => void;
}

/** The signed-in console: sessions (live over one WebSocket each), the open session's chats and messages. */
export function Workspace({ user, api, onSignOut, onTokenRefused }: Props) {
  const t = useTexts();
  const frames = useMemo(createFrameHub, []);
  const [sessions, setSessions] = useState<Session[]>([]);
  const [readAt, setReadAt] = useState(0);
  const [live, setLive] = useState<Record<string, LiveStatus>>({});
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [chatId, setChatId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [statsVersion, setStatsVersion] = useState(0);
  const [page, setPage] = useState<'sessions' | 'webhooks'>('sessions');
  // The last chat marked read here, for the chats list to show 0 unread at once.
  const [markedRead, setMarkedRead] = useState<MarkedRead | null>(null);
  const manage = mayManage(user.role);
  const refusedRef = useRef(onTokenRefused);
  refusedRef.current = onTokenRefused;

  const reload = useCallback(async () => {
    // A frame learnt after this read began is newer than what it answers.
    const startedAt = Date.now();
    try {
      const list = await api.sessions();
      setReadAt(startedAt);
      setSessions(list);
      setStatsVersion((v) => v + 1);
      setSelectedId((selected) =>
        selected && list.some((s) => s.Id === selected) ? selected : (list[0]?.Id ?? null),
      );
    } catch (failure) {
      setError(t.failed((failure as Error).message));
    }
  }, [api, t]);

  useEffect(() => {
    void reload();
    const timer = setInterval(() => void reload(), refreshEveryMs);
    return () => clearInterval(timer);
  }, [reload]);

  const reloadRef = useRef(reload);
  reloadRef.current = reload;

  const learn = useCallback((sessionId: string, status: ConnectionStatus, reply: Partial<StartReply>) => {
    setLive((all) => {
      const previous = all[sessionId]?.linking;
      const linking: Linking | undefined = reply.qrCode
        ? { qrCode: reply.qrCode, issuedAt: Date.now() }
        : reply.pairingCode
          ? { pairingCode: reply.pairingCode }
          : status === 'qr' || status === 'pairing'
            ? previous
            : undefined;
      return { ...all, [sessionId]: { status, at: Date.now(), ...(linking ? { linking } : {}) } };
    });
  }, []);

  const sessionIds = sessions.map((s) => s.Id).join(',');
  useEffect(() => {
    const closers = sessionIds
      .split(',')
      .filter(Boolean)
      .map((sessionId) =>
        openLiveSocket(sessionId, user.token, {
          onFrame(frame) {
            if (frame.type === 'status' || frame.type === 'status_change') {
              learn(sessionId, frame.data.status, frame.data);
              setStatsVersion((v) => v + 1);
            }
            // A socket opened while a session waits for its pairing code learns the status, not the code.
            if (frame.type === 'status' && frame.data.status === 'pairing' && manage) {
              api
                .status(sessionId)
                .then((read) =>
                  setLive((all) => {
                    const known = all[sessionId];
                    if (known?.status !== 'pairing' || known.linking || !read.pairingCode) return all;
                    return { ...all, [sessionId]: { ...known, linking: { pairingCode: read.pairingCode } } };
                  }),
                )
                .catch(() => undefined);
            }
            // Nor, while it waits for its scan, the QR code: read it.
            if (frame.type === 'status' && frame.data.status === 'qr' && manage) {
              api
                .qr(sessionId)
                .then(({ qrCode }) =>
                  setLive((all) => {
                    const known = all[sessionId];
                    // A newer frame (connected, another code) wins over this read.
                    if (known?.status !== 'qr' || known.linking) return all;
                    return { ...all, [sessionId]: { ...known, linking: { qrCode, issuedAt: Date.now() } } };
                  }),
                )
                .catch(() => undefined);
            }
            frames.publish(sessionId, frame);
          },
          onTokenRefused: () => refusedRef.current(),
          onClosedForGood: () => void reloadRef.current(),
        }),
      );
    return () => closers.forEach((close) => close());
  }, [sessionIds, user.token, frames, learn, api, manage]);

  const statusOf = (session: Session): ConnectionStatus => {
    const known = live[session.Id];
    return known && known.at >= readAt ? known.status : (statusNames[session.Status] ?? 'disconnected');
  };
  const selected = sessions.find((s) => s.Id === selectedId);
  const run = (action: () => Promise<unknown>) => () =>
    void action()
      .then(() => setError(null))
      .catch((failure: Error) => setError(t.failed(failure.message)));

  return (
    <div class="workspace">
      <header>
        <h1>{t.title}</h1>
        <p class="who">{t.signedInAs(user.role, user.companyId)}</p>
        {manage && (
          <nav aria-label={t.pages} class="pages">
            {(['sessions', 'webhooks'] as const).map((name) => (
              <button
                key={name}
                type="button"
                class="link"
                aria-current={page === name ? 'page' : undefined}
                onClick={() => setPage(name)}
              >
                {name === 'sessions' ? t.sessions : t.webhooks}
              </button>
            ))}
          </nav>
        )}
        <button type="button" onClick={onSignOut}>
          {t.signOut}
        </button>
      </header>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <StatsPanel api={api} version={statsVersion} />
      {page === 'webhooks' && manage && <WebhooksPage api={api} sessions={sessions} />}
      <div class="columns" hidden={page !== 'sessions'}>
        <SessionsPanel
          sessions={sessions}
          statusOf={statusOf}
          selectedId={selectedId}
          manage={manage}
          onSelect={(id) => {
            setSelectedId(id);
            setChatId(null);
          }}
          onCreate={async (name, phone) => {
            const created = await api.createSession(name, phone);
            await reload();
            setSelectedId(created.Id);
            setChatId(null);
          }}
          onRename={async (id, name) => {
            await api.renameSession(id, name);
            await reload();
          }}
          onDelete={async (id) => {
            await api.deleteSession(id);
            await reload();
          }}
          onStart={(id, phoneNumber) =>
            run(async () => {
              setSelectedId(id);
              const reply = await api.start(id, phoneNumber);
              learn(id, reply.status, reply);
            })()
          }
          onStop={(id) =>
            run(async () => {
              await api.stop(id);
              learn(id, 'disconnected', {});
            })()
          }
        />
        {selected && (
          <section class="session-detail" aria-labelledby="detail-title">
            <h2 id="detail-title">{selected.Session_Name}</h2>
            {manage && live[selected.Id]?.linking && <LinkPanel linking={live[selected.Id]!.linking!} />}
            <ChatsPanel
              api={api}
              frames={frames}
              sessionId={selected.Id}
              openChatId={chatId}
              onOpen={setChatId}
              markedRead={markedRead}
            />
            {chatId && (
              <MessagesPanel
                api={api}
                frames={frames}
                sessionId={selected.Id}
                chatId={chatId}
                onClose={() => setChatId(null)}
                onMarkedRead={() => setMarkedRead({ sessionId: selected.Id, chatId, at: Date.now() })}
              />
            )}
            {mayAudit(user.role) && <AuditPanel api={api} sessionId={selected.Id} />}
          </section>
        )}
      </div>
    </div>
  );
}
