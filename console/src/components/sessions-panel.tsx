import { useState } from 'preact/hooks';
import { useTexts } from '../i18n-context.js';
import type { ConnectionStatus, Session } from '../types.js';
import { NewSessionForm } from './new-session-form.js';
import { SessionItem } from './session-item.js';

export interface SessionsPanelProps {
  sessions: Session[];
  statusOf: (session: Session) => ConnectionStatus;
  selectedId: string | null;
  manage: boolean;
  onSelect: (id: string) => void;
  onCreate: (name: string, phoneNumber: string) => Promise<void>;
  onRename: (id: string, name: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
  onStart: (id: string, phoneNumber?: string) => void;
  onStop: (id: string) => void;
}

/** The company's sessions with their status words; management actions only for ADMIN and MANAGER. */
export function SessionsPanel(props: SessionsPanelProps) {
  const t = useTexts();
  const [creating, setCreating] = useState(false);
  return (
    <section class="sessions" aria-labelledby="sessions-title">
      <div class="panel-head">
        <h2 id="sessions-title">{t.sessions}</h2>
        {props.manage && !creating && (
          <button type="button" onClick={() => setCreating(true)}>
            {t.newSession}
          </button>
        )}
      </div>
      {creating && (
        <NewSessionForm
          onCreate={async (name, phone) => {
            await props.onCreate(name, phone);
            setCreating(false);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
      {props.sessions.length === 0 && <p class="empty">{t.noSessions}</p>}
      <ul aria-label={t.sessions} class="session-list">
        {props.sessions.map((session) => (
          <SessionItem
            key={session.Id}
            session={session}
            status={props.statusOf(session)}
            selected={session.Id === props.selectedId}
            manage={props.manage}
            onSelect={() => props.onSelect(session.Id)}
            onRename={(name) => props.onRename(session.Id, name)}
            onDelete={() => props.onDelete(session.Id)}
            onStart={(phoneNumber) => props.onStart(session.Id, phoneNumber)}
            onStop={() => props.onStop(session.Id)}
          />
        ))}
      </ul>
    </section>
  );
}
