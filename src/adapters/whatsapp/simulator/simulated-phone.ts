import { randomUUID } from 'node:crypto';
import { MessageAck } from '../../../domain/chat/message-ack.js';
import type { DriverCallbacks, IncomingWhatsAppMessage, Recorded, SentMessage } from '../port.js';
import { changesAMessage, echoOf, sentLogEntry, type SimulatedSend } from './simulated-send.js';
import { SendFailedError, SendOutcomeUnknownError } from '../port.js';
import type { LoginStore } from './login-store.js';
import type { UnloggedSend } from './sent-log.js';
import { SimulatedContacts } from './simulated-contacts.js';
import type { SimulatedFiles } from './simulated-files.js';
import { SimulatedProfiles } from './simulated-profiles.js';
import { isMissingChat } from './simulated-numbers.js';
import {
  simulatedMessageId,
  simulatedPairingCode,
  simulatedPhoneNumber,
  simulatedQrCode,
} from './simulated-ids.js';
import { SimulatedPairingCodeError, SimulatedSessionStateError } from './simulator-errors.js';
import type { SimulatorSettings } from './simulator-settings.js';

export type PhoneState = 'connecting' | 'qr' | 'pairing' | 'connected' | 'disconnected' | 'dead' | 'stopped';

export interface SendFailurePlan {
  remaining: number;
  permanent: boolean;
  reason: string;
  /**
   * The send's answer is lost (the page died, the call timed out): `delivered` says whether the message went out
   * (and echoes) all the same; the caller gets an unknown outcome either way.
   */
  answerLost?: { delivered: boolean };
}

/**
 * One simulated WhatsApp Web session. A connected, idle session holds no timer: only QR rotation, acks and
 * reconnects schedule work, so thousands of sessions fit in one process.
 */
export class SimulatedPhone {
  state: PhoneState = 'connecting';
  failures: SendFailurePlan | undefined;
  /** The contacts' linked-device ids this session's WhatsApp Web knows the phone of. */
  readonly contacts = new SimulatedContacts();
  /** The contacts' profile pictures and the names the phone's contact list keeps. */
  readonly profiles = new SimulatedProfiles();
  private qrAttempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<NodeJS.Timeout>();

  constructor(
    readonly sessionId: string,
    private readonly callbacks: DriverCallbacks,
    private readonly logins: LoginStore,
    private readonly settings: SimulatorSettings,
    /** The files of received messages, as WhatsApp's servers keep them for download. */
    private readonly files: SimulatedFiles,
  ) {}

  get ownJid(): string {
    return `${simulatedPhoneNumber(this.sessionId)}@c.us`;
  }

  /** Set before `boot` to link by phone number: the phone gets a pairing code instead of QR codes. */
  linkByPhone: string | undefined;
  private pairingCode: string | undefined;

  boot(): void {
    const restoring = this.logins.has(this.sessionId);
    void this.callbacks.onStatus({ type: 'connecting', restoring });
    if (restoring) this.later(0, () => void this.connect());
    else if (this.linkByPhone) this.showPairingCode(this.linkByPhone);
    else this.showQr();
  }

  /** The phone enters a pairing code; resolves once the session's connection is recorded. */
  async pair(code: string): Promise<void> {
    if (this.state !== 'pairing' || !this.pairingCode)
      throw new SimulatedSessionStateError(this.sessionId, 'enter a pairing code for', this.state);
    if (code.trim().toUpperCase() !== this.pairingCode) throw new SimulatedPairingCodeError(this.sessionId);
    this.pairingCode = undefined;
    await this.logins.save(this.sessionId, this.ownJid);
    await this.connect();
  }

  private showPairingCode(phoneNumber: string): void {
    this.state = 'pairing';
    this.pairingCode = simulatedPairingCode();
    void this.callbacks.onPairingCode?.({ code: this.pairingCode, phoneNumber });
  }

  /** Resolves once the session's connection is recorded. */
  scan(): Promise<void> {
    if (this.state !== 'qr')
      throw new SimulatedSessionStateError(this.sessionId, 'scan the QR code of', this.state);
    this.clearTimer();
    return this.logins.save(this.sessionId, this.ownJid).then(() => this.connect());
  }

  /**
   * Resolves with the message's WhatsApp id once the gateway recorded it. The id names the chat as WhatsApp
   * addressed it (`idChatJid`: a `@lid` id even when the chat is kept under the phone JID).
   */
  async deliver(
    message: Omit<IncomingWhatsAppMessage, 'waMessageId' | 'timestamp' | 'to'>,
    idChatJid = message.chatJid,
    mediaData?: Buffer,
  ): Promise<string> {
    if (this.state !== 'connected')
      throw new SimulatedSessionStateError(this.sessionId, 'deliver a message to', this.state);
    const waMessageId = simulatedMessageId(false, idChatJid);
    if (mediaData) await this.files.keep(this.sessionId, waMessageId, mediaData);
    await this.callbacks.onMessage({ ...message, waMessageId, to: this.ownJid, timestamp: nowSeconds() });
    return waMessageId;
  }

  /** Reports something that happens in the chats (a reaction, an edit …), once recorded; only while connected. */
  async report(what: string, work: (callbacks: DriverCallbacks) => Recorded): Promise<void> {
    if (this.state !== 'connected') throw new SimulatedSessionStateError(this.sessionId, what, this.state);
    await work(this.callbacks);
  }

  /** Does what needs the phone online (a number check, a read receipt); refused otherwise. */
  whileConnected<T>(what: string, work: () => T): Promise<T> {
    if (this.state !== 'connected')
      return Promise.reject(new SimulatedSessionStateError(this.sessionId, what, this.state));
    return Promise.resolve(work());
  }

  async disconnect(reason: string, unlink: boolean): Promise<void> {
    if (this.state !== 'connected')
      throw new SimulatedSessionStateError(this.sessionId, 'disconnect', this.state);
    this.state = 'disconnected';
    if (unlink) {
      await this.logins.remove(this.sessionId);
      await this.callbacks.onStatus({ type: 'disconnected', reason, loggedOut: true, willReconnect: false });
      this.qrAttempt = 0;
      this.showQr();
    } else {
      await this.callbacks.onStatus({ type: 'disconnected', reason, loggedOut: false, willReconnect: true });
      this.later(this.settings.reconnectDelayMs, () => void this.connect());
    }
  }

  /** The browser died: the session stops answering and reports nothing more. */
  kill(): void {
    this.state = 'dead';
    this.cancelAll();
  }

  send(request: SimulatedSend): SentMessage {
    if (this.state !== 'connected') throw new SendFailedError(`the session is ${this.state}`, false);
    if (isMissingChat(request.to)) throw new SendFailedError('number is not on WhatsApp', true);
    const failure = this.failures && this.failures.remaining > 0 ? this.failures : undefined;
    if (failure) {
      failure.remaining -= 1;
      if (!failure.answerLost) throw new SendFailedError(failure.reason, failure.permanent);
      if (failure.answerLost.delivered) this.deliverSent(request);
      throw new SendOutcomeUnknownError(failure.reason);
    }
    return this.deliverSent(request);
  }

  /** What this phone sent and has not yet been written to the sent log. */
  readonly unlogged: UnloggedSend[] = [];

  private deliverSent(request: SimulatedSend): SentMessage {
    const to = request.to;
    const ownId = simulatedMessageId(true, to);
    // A change to a message is answered with that message's id; a new message gets one of its own.
    const waMessageId = changesAMessage(request) ? request.waMessageId : ownId;
    this.unlogged.push({ entryId: randomUUID(), waMessageId, to, ...sentLogEntry(request) });
    const timestamp = nowSeconds();
    const sent = { sessionId: this.sessionId, ownJid: this.ownJid, waMessageId: ownId, timestamp };
    // WhatsApp Web echoes the gateway's own messages back, as it does messages typed on the phone.
    const echo = echoOf(request, sent);
    this.later(0, () => void echo(this.callbacks));
    if (changesAMessage(request)) return { waMessageId, ack: MessageAck.SERVER, timestamp };
    const [server, device, read] = this.settings.ackDelaysMs;
    this.later(server, () => void this.callbacks.onAck({ waMessageId, chatJid: to, ack: MessageAck.SERVER }));
    this.later(device, () => void this.callbacks.onAck({ waMessageId, chatJid: to, ack: MessageAck.DEVICE }));
    this.later(read, () => void this.callbacks.onAck({ waMessageId, chatJid: to, ack: MessageAck.READ }));
    return { waMessageId, ack: MessageAck.PENDING, timestamp };
  }

  stop(): void {
    this.state = 'stopped';
    this.cancelAll();
  }

  private async connect(): Promise<void> {
    if (this.state === 'dead' || this.state === 'stopped') return;
    this.state = 'connected';
    await this.callbacks.onStatus({
      type: 'connected',
      waId: this.ownJid,
      phoneNumber: simulatedPhoneNumber(this.sessionId),
    });
  }

  private showQr(): void {
    if (this.qrAttempt >= this.settings.maxQrAttempts) {
      this.state = 'stopped';
      void this.callbacks.onStatus({
        type: 'failed',
        reason: `QR code not scanned after ${this.qrAttempt} attempts`,
        retryable: false,
      });
      return;
    }
    this.state = 'qr';
    this.qrAttempt += 1;
    void this.callbacks.onQrCode({
      code: simulatedQrCode(this.sessionId, this.qrAttempt),
      attempt: this.qrAttempt,
    });
    this.timer = this.later(this.settings.qrIntervalMs, () => this.showQr());
  }

  private later(ms: number, work: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      if (this.state !== 'dead' && this.state !== 'stopped') work();
    }, ms);
    this.pending.add(timer);
    return timer;
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.timer) this.pending.delete(this.timer);
    this.timer = undefined;
  }

  private cancelAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    this.timer = undefined;
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
