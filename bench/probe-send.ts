import { spawnBenchGateway } from './support/bench-gateway.js';
import { connectSessions } from './support/connect-sessions.js';
const g = await spawnBenchGateway({ SEND_RATE_PER_SESSION: '0' });
const [id] = await connectSessions(g.call, 1);
for (let i = 0; i < 8; i++) {
  const t = performance.now();
  const r = await g.call('POST', '/whatsapp/messages/send', {
    sessionId: id,
    to: '5511966000001',
    message: `m${i}`,
  });
  console.log(r.status, Math.round(performance.now() - t), 'ms');
}
await g.dispose();
