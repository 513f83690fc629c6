import { describe, expect, it } from 'vitest';
import type { ChatChange } from './chat-changes.js';
import { foldChatChanges } from './chat-fold.js';

const key = 's1|5511@c.us';
const message = (revision: number, seconds: number, name: string | null, unread = 1): ChatChange => ({
  key,
  kind: 'activity',
  row: {
    Id: `event-${revision}`,
    Session_Id: 's1',
    Company_Id: 'acme',
    Chat_Id: '5511@c.us',
    Chat_Type: 'individual',
    Chat_Name: name,
    Client_Id: null,
    Last_Message: `message ${revision}`,
    Last_Message_Time: new Date(seconds * 1000),
    Unread_Count: unread,
    Created_At: `created ${revision}`,
    Last_Revision: String(revision),
  },
});
const read = (revision: number): ChatChange => ({
  key,
  kind: 'read',
  sessionId: 's1',
  chatJid: '5511@c.us',
  revision: String(revision),
});

describe('folding the changes of one chat in a batch', () => {
  it('keeps the latest name, the newest message as preview, and counts unread since the last read', () => {
    const [fold] = foldChatChanges([
      read(1),
      message(2, 100, 'Ana'),
      message(3, 50, null),
      read(4),
      message(5, 100, null),
      message(6, 90, null),
    ]);
    expect(fold).toMatchObject({
      firstRevision: '1',
      lastRevision: '6',
      chatName: 'Ana',
      preview: 'message 5',
      read: true,
      unreadSinceRead: 2,
      unreadTotal: 4,
    });
    expect(fold!.newRow).toMatchObject({
      Id: 'event-2',
      Created_At: 'created 2',
      Chat_Name: 'Ana',
      Last_Message: 'message 5',
      Last_Message_Time: new Date(100_000),
      Unread_Count: 2,
      Last_Revision: '6',
    });
  });

  it('creates no row from reads alone', () => {
    const [fold] = foldChatChanges([read(7), read(8)]);
    expect(fold!.newRow).toBeUndefined();
    expect(fold).toMatchObject({ read: true, unreadSinceRead: 0, time: null, preview: null });
  });

  it('folds each chat on its own', () => {
    const other: ChatChange = { ...read(3), key: 'other' };
    expect(foldChatChanges([message(1, 1, 'A'), other, message(2, 2, 'B')]).map((f) => f.key)).toEqual([
      key,
      'other',
    ]);
  });
});
