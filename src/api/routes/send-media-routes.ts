import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { IdempotencyKeyReusedError } from '../../domain/chat/chat-errors.js';
import { toJid } from '../../domain/jid.js';
import { SessionNotConnectedError } from '../../domain/session/session-errors.js';
import type { ApiDeps } from '../api-deps.js';
import { HttpError } from '../http-errors.js';
import { checkedMimetype, downloadMedia, type MediaInput } from '../media-input.js';
import { refuseNulCharacters } from '../nul-character-check.js';
import { errorReply, sessionErrors } from '../schemas/common.js';
import { outcomeReply, sendingSession, sendReply } from '../send-reply.js';
import { userContext } from '../user-context.js';

const fields = z
  .object({
    sessionId: z.uuid({ message: 'must be a session id (UUID)' }),
    to: z.string().min(1).max(100),
    caption: z.string().max(1024).optional(),
    fileName: z.string().min(1).max(255).optional(),
    mimetype: z.string().max(100).optional(),
    url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    data: z.base64({ message: 'must be base64' }).optional(),
  })
  .strict();

/**
 * `POST /whatsapp/messages/send-media`: an image, audio, video or document, uploaded (multipart/form-data with a
 * `file` part) or given as JSON (`url` to download, or base64 `data`), through the same outbox as texts.
 */
export const sendMediaRoutes =
  (deps: ApiDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const maxBytes = deps.config.MEDIA_MAX_BYTES;
    await app.register(fastifyMultipart, { limits: { fileSize: maxBytes, files: 1, fields: 10 } });

    app.post(
      '/whatsapp/messages/send-media',
      {
        config: { access: 'send' },
        bodyLimit: Math.ceil(maxBytes * 1.4) + 64 * 1024,
        schema: {
          tags: ['whatsapp'],
          summary:
            'Send an image, audio, video or document: multipart upload (file + fields) or JSON with url or base64 data',
          consumes: ['application/json', 'multipart/form-data'],
          response: {
            200: sendReply,
            202: sendReply,
            ...sessionErrors,
            409: errorReply,
            413: errorReply,
            422: errorReply,
            502: errorReply,
          },
        },
      },
      async (request, reply) => {
        const { values, file } = await readRequest(request, maxBytes);
        // A multipart form is read here, after the hook that checks JSON bodies.
        refuseNulCharacters({ body: values, file: { name: file?.fileName ?? null } });
        const parsed = fields.safeParse(values);
        if (!parsed.success) {
          const details = parsed.error.issues.map((i) => ({
            location: 'body',
            path: i.path.join('.') || '(root)',
            message: i.message,
          }));
          throw Object.assign(
            new HttpError(
              400,
              `Requisição inválida: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
            ),
            { details },
          );
        }
        const body = parsed.data;
        const sources = [file, body.url, body.data].filter((s) => s !== undefined).length;
        if (sources !== 1)
          throw new HttpError(400, 'Envie exatamente um arquivo: um campo file, url ou data');
        const to = toJid(body.to);
        const session = await sendingSession(deps.db, request.claims.companyId, body.sessionId);
        deps.numberCheck.refuseKnownMissing(body.sessionId, to);
        const idempotencyKey =
          typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : null;
        // Refused before the file is kept, so a 409 leaves nothing behind (a replay with a key is answered
        // whatever the session's state now, and its file is the one kept the first time; a key never seen before
        // is refused by the send, and the file it saved is removed then).
        if (!session.connected && !idempotencyKey) throw new SessionNotConnectedError(body.sessionId);
        const media: MediaInput =
          file ??
          (body.url
            ? await downloadMedia(
                body.url,
                { maxBytes, allowPrivate: deps.config.MEDIA_URL_ALLOW_PRIVATE },
                body.mimetype,
                body.fileName,
              )
            : {
                data: Buffer.from(body.data!, 'base64'),
                mimetype: checkedMimetype(body.mimetype),
                fileName: body.fileName ?? null,
              });
        if (media.data.length === 0) throw new HttpError(400, 'O arquivo está vazio');
        if (media.data.length > maxBytes) throw new HttpError(413, `Arquivo maior que ${maxBytes} bytes`);
        const stored = await deps.media.save(body.sessionId, media);
        const outcome = await deps
          .sendMessage(
            {
              to,
              body: body.caption ?? '',
              media: {
                mimetype: media.mimetype,
                caption: body.caption ?? null,
                fileName: media.fileName,
                size: stored.size,
                location: stored.location,
              },
              idempotencyKey,
              sessionConnected: session.connected,
              from: session.waId,
            },
            userContext(request, body.sessionId),
          )
          .catch(async (error: unknown) => {
            // Refused before it was recorded (a new key to a disconnected session, a key reused for another
            // request): the file this request added is referred to by nothing, so it goes too.
            if (
              stored.created &&
              (error instanceof SessionNotConnectedError || error instanceof IdempotencyKeyReusedError)
            )
              await deps.media.remove(stored);
            throw error;
          });
        const { status, body: replyBody } = outcomeReply(outcome);
        return reply.status(status).send(replyBody);
      },
    );
  };

async function readRequest(
  request: FastifyRequest,
  maxBytes: number,
): Promise<{ values: Record<string, unknown>; file?: MediaInput }> {
  if (!request.isMultipart()) return { values: (request.body ?? {}) as Record<string, unknown> };
  const values: Record<string, unknown> = {};
  let file: MediaInput | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file')
        throw new HttpError(400, `Campo de arquivo inesperado: ${part.fieldname} (use file)`);
      const data = await part.toBuffer().catch((error: unknown) => {
        throw error instanceof Error && 'code' in error && error.code === 'FST_REQ_FILE_TOO_LARGE'
          ? new HttpError(413, `Arquivo maior que ${maxBytes} bytes`)
          : error;
      });
      file = { data, mimetype: checkedMimetype(part.mimetype), fileName: part.filename || null };
    } else values[part.fieldname] = part.value;
  }
  if (file && typeof values.mimetype === 'string') file.mimetype = checkedMimetype(values.mimetype);
  return { values, ...(file ? { file } : {}) };
}
