/**
 * What the gateway asks the page to send: a text (maybe a reply, with mentions), a file as a data URL, a poll, a
 * location, or a change to a message already sent (a reaction, an edit, a deletion for everyone). Each is the
 * WA-JS call that WPPConnect 2.3.3's own method of the same purpose makes (sendText, sendFile, sendPollMessage,
 * sendLocation, sendReactionToMessage, editMessage, deleteMessage).
 */
export type PageSend =
  | {
      kind: 'text';
      to: string;
      text: string;
      options?: { quotedMsg?: string; mentionedList?: string[] };
    }
  | {
      kind: 'file';
      to: string;
      dataUrl: string;
      options: { type: 'auto-detect'; mimetype: string; filename?: string; caption?: string };
    }
  | { kind: 'poll'; to: string; name: string; choices: string[]; selectableCount: number }
  | { kind: 'location'; to: string; lat: number; lng: number; name?: string }
  | { kind: 'reaction'; to: string; msgId: string; reaction: string }
  | { kind: 'edit'; to: string; msgId: string; text: string }
  | { kind: 'revoke'; to: string; msgId: string };

/**
 * What the page answers. `refused`: WA-JS threw one of its own errors (they carry a `code`), which it does only
 * before the message is queued. `unknown`: anything else went wrong, possibly after the message was handed over.
 */
export type PageAnswer =
  | { ok: true; id: string; ack: number; t: number | null }
  | { ok: false; stage: 'not-ready' | 'refused' | 'unknown'; message: string; code: string | null };

interface SendResult {
  id?: unknown;
  ack?: unknown;
  isRevoked?: unknown;
}

type Options = Record<string, unknown>;

/** The part of WA-JS (`window.WPP`) the sends use. */
interface WppInPage {
  chat: {
    sendTextMessage(to: string, text: string, options: Options): Promise<SendResult>;
    sendFileMessage(to: string, content: string, options: Options): Promise<SendResult>;
    sendCreatePollMessage(to: string, name: string, choices: string[], options: Options): Promise<SendResult>;
    sendLocationMessage(to: string, options: Options): Promise<SendResult>;
    sendReactionToMessage(msgId: string, reaction: string | false): Promise<SendResult>;
    editMessage(msgId: string, text: string, options: Options): Promise<SendResult>;
    deleteMessage(to: string, id: string, deleteMediaInDevice: boolean, revoke: boolean): Promise<SendResult>;
  };
  whatsapp?: { MsgStore?: { get(id: string): { t?: unknown } | undefined } };
}

/**
 * Runs inside WhatsApp Web (puppeteer serializes it): sends once through WA-JS and answers `{ id, ack }`, never
 * throwing. WPPConnect's own `sendText` looks the message up again after sending it, and that lookup can fail
 * after the message went out; nothing here runs after the send except reading the time, which cannot fail the
 * send. A change to a message answers with that message's id. It must stay self-contained (no imports, no
 * inner named functions) to survive serialization.
 */
export async function sendInPage(request: PageSend): Promise<PageAnswer> {
  const wpp = (globalThis as unknown as { WPP?: WppInPage }).WPP;
  if (!wpp?.chat)
    return { ok: false, stage: 'not-ready', message: 'WA-JS is not loaded in the page', code: null };
  let sent: SendResult;
  const waitForAck = true;
  try {
    switch (request.kind) {
      case 'text':
        sent = await wpp.chat.sendTextMessage(request.to, request.text, { ...request.options, waitForAck });
        break;
      case 'file':
        sent = await wpp.chat.sendFileMessage(request.to, request.dataUrl, {
          ...request.options,
          waitForAck,
        });
        break;
      case 'poll':
        sent = await wpp.chat.sendCreatePollMessage(request.to, request.name, request.choices, {
          selectableCount: request.selectableCount,
          waitForAck,
        });
        break;
      case 'location':
        sent = await wpp.chat.sendLocationMessage(request.to, {
          lat: request.lat,
          lng: request.lng,
          ...(request.name ? { name: request.name } : {}),
          waitForAck,
        });
        break;
      case 'reaction':
        // WA-JS takes `false` to take a reaction back; it answers no id of the reaction's own.
        await wpp.chat.sendReactionToMessage(request.msgId, request.reaction || false);
        sent = { id: request.msgId, ack: 1 };
        break;
      case 'edit':
        await wpp.chat.editMessage(request.msgId, request.text, { waitForAck });
        sent = { id: request.msgId, ack: 1 };
        break;
      case 'revoke': {
        const deleted = await wpp.chat.deleteMessage(request.to, request.msgId, true, true);
        if (deleted?.isRevoked === false)
          return {
            ok: false,
            stage: 'refused',
            message: 'WhatsApp did not delete the message for everyone',
            code: null,
          };
        sent = { id: request.msgId, ack: 1 };
        break;
      }
    }
  } catch (error) {
    const fields = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
    const code = typeof fields['code'] === 'string' ? fields['code'] : null;
    const message = typeof fields['message'] === 'string' ? fields['message'] : String(error);
    return { ok: false, stage: code ? 'refused' : 'unknown', message, code };
  }
  let t: number | null = null;
  try {
    const stored = wpp.whatsapp?.MsgStore?.get(String(sent.id));
    t = typeof stored?.t === 'number' ? stored.t : null;
  } catch {
    // The time is a nicety: the message is sent whatever happens here.
  }
  return { ok: true, id: String(sent.id), ack: typeof sent.ack === 'number' ? sent.ack : 0, t };
}
