import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../test-support/eventually.js';

const main = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  token: string | undefined;
  exited: Promise<number | null>;
}

/** `npm start` as a user runs it: the built gateway with no configuration but a data folder and the simulator. */
async function start(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      WA_DRIVER: 'simulator',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: '',
      NATS_URL: '',
      JWT_SECRET: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let token: string | undefined;
  for await (const line of createInterface({ input: child.stdout })) {
    const printed = /^\s+(eyJ[\w-]+\.[\w-]+\.[\w-]+)$/.exec(line);
    if (printed) token = printed[1];
    const listening = /zapledger listening on (http:\/\/[\d.:]+)/.exec(line);
    if (listening) return { child, url: listening[1]!, token, exited };
  }
  throw new Error('the gateway exited before listening');
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill('SIGTERM');
  return running.exited;
}

const call = async (url: string, token: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('npm start with no configuration', () => {
  let dataDir: string;
  beforeAll(async () => {
    if (!existsSync(main))
      throw new Error('dist/src/main.js is missing: run `npm ci` or `npm run build` first');
    dataDir = await mkdtemp(join(tmpdir(), 'zapledger-start-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers /healthz, prints a working ADMIN token, runs the README quick start, and keeps its data across a restart', async () => {
    const first = await start(dataDir);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    expect(first.token).toBeDefined();
    const token = first.token!;
    expect(await call(first.url, token, 'GET', '/whatsapp/stats')).toEqual({
      status: 200,
      body: { total: 0, connected: 0, disconnected: 0, sessions: [] },
    });

    const created = await call(first.url, token, 'POST', '/sessions', {
      Session_Name: 'Atendimento Principal',
      Phone_Number: '5511999999999',
    });
    const id = created.body.Id as string;
    expect((await call(first.url, token, 'POST', `/whatsapp/sessions/${id}/start`)).body.status).toBe('qr');
    expect(
      (
        await fetch(`${first.url}/simulator/sessions/${id}/scan`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(204);
    await eventually(
      async () =>
        (await call(first.url, token, 'GET', `/whatsapp/sessions/${id}/status`)).body.isConnected === true,
    );
    const sent = await call(first.url, token, 'POST', '/whatsapp/messages/send', {
      sessionId: id,
      to: '5511988887777',
      message: 'Olá! Como posso ajudar?',
    });
    expect(sent.body.message).toBe('Mensagem enviada com sucesso');
    expect(
      (
        await call(first.url, token, 'POST', `/simulator/sessions/${id}/incoming`, {
          from: '5511988887777',
          body: 'Oi',
          name: 'João',
        })
      ).status,
    ).toBe(202);
    await eventually(async () => {
      const { body } = await call(
        first.url,
        token,
        'GET',
        `/whatsapp/sessions/${id}/chats/5511988887777@c.us/messages`,
      );
      return (
        (body.messages as { body: string }[]).map((m) => m.body).join('|') === 'Olá! Como posso ajudar?|Oi'
      );
    });
    expect(await stop(first)).toBe(0);

    const second = await start(dataDir);
    expect(second.token).toBeUndefined();
    await eventually(
      async () =>
        (await call(second.url, token, 'GET', `/whatsapp/sessions/${id}/status`)).body.isConnected === true,
    );
    const stats = await call(second.url, token, 'GET', '/whatsapp/stats');
    expect(stats.body).toMatchObject({ total: 1, connected: 1 });
    expect(await stop(second)).toBe(0);
  });
});
