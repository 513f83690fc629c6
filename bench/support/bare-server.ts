// A bare HTTP and WebSocket server (fastify and ws, what the gateway is built on) with no gateway behind it:
// what this machine can serve at all, measured beside each benchmark. Prints LISTENING <url>.
//   GET /payload          a fixed JSON body the size of 50 messages
//   WS  /ws               a subscriber
//   POST /blast?frames=N  sends N small frames to every subscriber, as fast as the sockets take them
//   GET /messages?session=S&chat=C   with DATABASE_URL: the chat's last 50 messages from the gateway's own table
//                         and indexes, with one prepared query and no gateway behind it
import Fastify from 'fastify';
import type { Selectable } from 'kysely';
import pg from 'pg';
import type { MessagesTable } from '../../src/adapters/db/read-model-schema.js';
import { toMessageShape } from '../../src/projections/messages/chat-messages.js';
import { WebSocketServer, type WebSocket } from 'ws';

const payload = JSON.stringify({
  messages: Array.from({ length: 50 }, (_, i) => ({
    id: `false_5511977000001@c.us_${i}`,
    chatId: '5511977000001@c.us',
    direction: 'IN',
    type: 'chat',
    body: `message ${i} from 5511977000001`,
    status: 3,
    timestamp: 1764000000 + i,
    from: '5511977000001@c.us',
    to: 'me@c.us',
    fromMe: false,
  })),
  total: 50,
});

const app = Fastify();
const subscribers = new Set<WebSocket>();
const sockets = new WebSocketServer({ noServer: true });
app.server.on('upgrade', (request, socket, head) =>
  sockets.handleUpgrade(request, socket, head, (ws) => {
    subscribers.add(ws);
    ws.on('close', () => subscribers.delete(ws));
  }),
);
app.get('/payload', (_request, reply) => reply.type('application/json').send(payload));
app.post<{ Querystring: { frames: string } }>('/blast', async (request) => {
  const frames = Number(request.query.frames);
  for (let i = 0; i < frames; i++) {
    const frame = JSON.stringify({ type: 'message', data: { id: `blast-${i}`, body: `frame ${i}` } });
    for (const ws of subscribers) ws.send(frame);
    if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
  }
  return { sent: frames * subscribers.size };
});
if (process.env.DATABASE_URL) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const text = `select * from "Messages" where "Session_Id" = $1 and "Chat_Id" = $2
    order by "Wa_Timestamp" desc, "Created_Revision" desc limit 50`;
  app.get<{ Querystring: { session: string; chat: string } }>('/messages', async (request) => {
    const { rows } = await pool.query<Selectable<MessagesTable>>({
      name: 'page',
      text,
      values: [request.query.session, request.query.chat],
    });
    // The gateway's own message shape: the two servers answer the same body.
    const messages = rows.reverse().map(toMessageShape);
    return { messages, total: messages.length };
  });
}
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`LISTENING ${url}\n`);
process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
