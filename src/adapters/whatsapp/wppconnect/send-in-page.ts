/** What the gateway asks the page to send: a text, or a file as a data URL. */
export type PageSend =
  | { kind: 'text'; to: string; text: string }
  | {
      kind: 'file';
      to: string;
      dataUrl: string;
      options: { type: 'auto-detect'; mimetype: string; filename?: string; caption?: string };
    };

/**
 * What the page answers. `refused`: WA-JS threw one of its own errors (they carry a `code`), which it does only
 * before the message is queued. `unknown`: anything else went wrong, possibly after the message was handed over.
 */
export type PageAnswer =
  | { ok: true; id: string; ack: number; t: number | null }
  | { ok: false; stage: 'not-ready' | 'refused' | 'unknown'; message: string; code: string | null };

interface SendResult {
  id: unknown;
  ack: unknown;
}

/** The part of WA-JS (`window.WPP`) the send uses. */
interface WppInPage {
  chat: {
    sendTextMessage(to: string, text: string, options: { waitForAck: boolean }): Promise<SendResult>;
    sendFileMessage(to: string, content: string, options: Record<string, unknown>): Promise<SendResult>;
  };
  whatsapp?: { MsgStore?: { get(id: string): { t?: unknown } | undefined } };
}

/**
 * Runs inside WhatsApp Web (puppeteer serializes it): sends once through WA-JS and answers `{ id, ack }`, never
 * throwing. WPPConnect's own `sendText` looks the message up again after sending it, and that lookup can fail
 * after the message went out; nothing here runs after the send except reading the time, which cannot fail the
 * send. It must stay self-contained (no imports, no inner named functions) to survive serialization.
 */
export async function sendInPage(request: PageSend): Promise<PageAnswer> {
  const wpp = (globalThis as unknown as { WPP?: WppInPage }).WPP;
  if (!wpp?.chat)
    return { ok: false, stage: 'not-ready', message: 'WA-JS is not loaded in the page', code: null };
  let sent: SendResult;
  try {
    sent =
      request.kind === 'text'
        ? await wpp.chat.sendTextMessage(request.to, request.text, { waitForAck: true })
        : await wpp.chat.sendFileMessage(request.to, request.dataUrl, {
            ...request.options,
            waitForAck: true,
          });
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
