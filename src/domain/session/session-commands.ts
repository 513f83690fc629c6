/** What can be asked of a session. Record… commands are facts from the WhatsApp driver; the rest come from users. */
export type SessionCommand = { sessionId: string } & (
  | {
      type: 'RegisterSession';
      companyId: string;
      name: string;
      phoneNumber: string | null;
      tokenHash: string | null;
    }
  | { type: 'UpdateSession'; name?: string; phoneNumber?: string | null; tokenHash?: string | null }
  | { type: 'DeleteSession' }
  /** With `phoneNumber`: link by a pairing code for that number instead of a QR code. */
  | { type: 'StartSession'; phoneNumber?: string }
  | { type: 'StopSession' }
  | { type: 'RecordConnecting'; restoring: boolean }
  | { type: 'RecordQrCode'; qrCode: string; attempt: number; issuedAt: Date }
  | { type: 'RecordPairingCode'; pairingCode: string; phoneNumber: string; issuedAt: Date }
  | { type: 'RecordConnected'; waId: string; phoneNumber: string | null }
  | { type: 'RecordDisconnected'; reason: string; loggedOut: boolean }
  | { type: 'RecordStopped'; reason: string }
  | { type: 'RecordFailure'; reason: string; retryable: boolean }
  | { type: 'MarkDead'; reason: string; lastHeartbeatAt: Date | null }
  | {
      type: 'RecordParticipantsChange';
      groupJid: string;
      action: string;
      participants: string[];
      by: string | null;
    }
  | {
      type: 'RecordIncomingCall';
      callId: string;
      from: string;
      isVideo: boolean;
      isGroup: boolean;
      timestamp: number;
    }
  | { type: 'RecordLidMapping'; lid: string; phoneJid: string }
);
