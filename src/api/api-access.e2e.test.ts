import { createSigner } from 'fast-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jwtSecret,
  startTestGateway,
  type TestGateway,
  type Wiring,
} from '../../test-support/gateway-harness.js';
import type { Role } from './auth/claims.js';

interface Route {
  method: string;
  path: (sessionId: string) => string;
  access: 'read' | 'manage' | 'audit';
  body?: unknown;
}

const routes: Route[] = [
  { method: 'GET', path: (id) => `/sessions/${id}`, access: 'read' },
  { method: 'PATCH', path: (id) => `/sessions/${id}`, access: 'manage', body: { Session_Name: 'Renamed' } },
  { method: 'POST', path: (id) => `/whatsapp/sessions/${id}/start`, access: 'manage' },
  { method: 'GET', path: (id) => `/whatsapp/sessions/${id}/qr`, access: 'manage' },
  { method: 'GET', path: (id) => `/whatsapp/sessions/${id}/status`, access: 'read' },
  { method: 'GET', path: (id) => `/whatsapp/sessions/${id}/chats`, access: 'read' },
  { method: 'GET', path: (id) => `/whatsapp/sessions/${id}/chats/5511988887777/messages`, access: 'read' },
  {
    method: 'POST',
    path: (id) => `/simulator/sessions/${id}/incoming`,
    access: 'manage',
    body: { from: '5511988887777', body: 'Oi' },
  },
  {
    method: 'POST',
    path: (id) => `/simulator/sessions/${id}/disconnect`,
    access: 'manage',
    body: { reason: 'test' },
  },
  { method: 'POST', path: (id) => `/simulator/sessions/${id}/scan`, access: 'manage' },
  { method: 'POST', path: (id) => `/whatsapp/sessions/${id}/stop`, access: 'manage' },
  { method: 'GET', path: (id) => `/audit/sessions/${id}/events`, access: 'audit' },
  { method: 'DELETE', path: (id) => `/sessions/${id}`, access: 'manage' },
];
const allowed: Record<Route['access'], Role[]> = {
  read: ['ADMIN', 'MANAGER', 'AGENT'],
  manage: ['ADMIN', 'MANAGER'],
  audit: ['ADMIN'],
};

describe.each<Wiring>(['postgres+nats', 'pglite+memory'])('access and validation on %s', (wiring) => {
  let api: TestGateway;
  const newSession = async () => {
    const reply = await api.call('POST', '/sessions', {
      token: api.token('acme', 'ADMIN'),
      body: { Session_Name: 'Matrix' },
    });
    expect(reply.status).toBe(201);
    return reply.body.Id as string;
  };

  beforeAll(async () => {
    api = await startTestGateway(wiring);
  });
  afterAll(async () => {
    await api?.dispose();
  });

  it.each(['ADMIN', 'MANAGER', 'AGENT'] as Role[])(
    'lets %s do exactly what its role allows on its own company’s sessions',
    async (role) => {
      const sessionId = await newSession();
      const token = api.token('acme', role);
      for (const route of routes) {
        const reply = await api.call(route.method, route.path(sessionId), {
          token,
          ...(route.body ? { body: route.body } : {}),
        });
        const expected = allowed[route.access].includes(role);
        expect({ route: `${route.method} ${route.path(':id')}`, forbidden: reply.status === 403 }).toEqual({
          route: `${route.method} ${route.path(':id')}`,
          forbidden: !expected,
        });
        expect(reply.status).not.toBe(401);
        expect(reply.status).toBeLessThan(500);
      }
    },
  );

  it('answers another company’s session exactly like a session that does not exist', async () => {
    const sessionId = await newSession();
    const stranger = api.token('globex', 'ADMIN');
    for (const route of routes) {
      const reply = await api.call(route.method, route.path(sessionId), {
        token: stranger,
        ...(route.body ? { body: route.body } : {}),
      });
      expect([`${route.method} ${route.path(':id')}`, reply.status, reply.body.message]).toEqual([
        `${route.method} ${route.path(':id')}`,
        404,
        'Sessão não encontrada',
      ]);
    }
    expect((await api.call('GET', '/sessions', { token: stranger })).body).toEqual([]);
    expect((await api.call('GET', '/whatsapp/stats', { token: stranger })).body).toMatchObject({ total: 0 });
    expect(
      (await api.call('GET', `/sessions/${sessionId}`, { token: api.token('acme', 'AGENT') })).status,
    ).toBe(200);
  });

  it('refuses to create a session for another company', async () => {
    const reply = await api.call('POST', '/sessions', {
      token: api.token('acme', 'ADMIN'),
      body: { Company_Id: 'globex', Session_Name: 'x' },
    });
    expect(reply.status).toBe(403);
  });

  it.each([
    ['no token', undefined],
    ['a malformed token', 'abc.def'],
    [
      'an expired token',
      createSigner({ key: jwtSecret, clockTimestamp: Date.now() - 7_200_000, expiresIn: 3_600_000 })({
        sub: 'u',
        companyId: 'acme',
        role: 'ADMIN',
      }),
    ],
    [
      'an unsigned token (alg none)',
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'u', companyId: 'acme', role: 'ADMIN' })}.`,
    ],
    [
      'a token signed with another secret',
      createSigner({ key: 'another-secret-that-is-long-enough-0123456789abc' })({
        sub: 'u',
        companyId: 'acme',
        role: 'ADMIN',
      }),
    ],
    [
      'a token without a role',
      createSigner({ key: jwtSecret, expiresIn: 60_000 })({ sub: 'u', companyId: 'acme' }),
    ],
    [
      'a token that never expires (no exp)',
      createSigner({ key: jwtSecret })({ sub: 'u', companyId: 'acme', role: 'ADMIN' }),
    ],
    [
      'a token living longer than JWT_MAX_TTL',
      createSigner({ key: jwtSecret, expiresIn: 31 * 86_400_000 })({
        sub: 'u',
        companyId: 'acme',
        role: 'ADMIN',
      }),
    ],
    [
      'a token without iat expiring further than JWT_MAX_TTL from now',
      createSigner({ key: jwtSecret, noTimestamp: true })({
        sub: 'u',
        companyId: 'acme',
        role: 'ADMIN',
        exp: Math.floor(Date.now() / 1000) + 31 * 86_400,
      }),
    ],
    [
      'a token with an unknown role',
      createSigner({ key: jwtSecret, expiresIn: 60_000 })({ sub: 'u', companyId: 'acme', role: 'ROOT' }),
    ],
  ])('answers 401 to %s, on every route', async (_case, token) => {
    const sessionId = await newSession();
    for (const route of [
      { method: 'GET', path: () => '/sessions' },
      { method: 'POST', path: () => '/sessions', body: { Session_Name: 'x' } },
      ...routes,
    ] as Route[]) {
      const reply = await api.call(route.method, route.path(sessionId), {
        ...(token ? { token } : {}),
        ...(route.body ? { body: route.body } : {}),
      });
      expect([route.method, route.path(':id'), reply.status]).toEqual([route.method, route.path(':id'), 401]);
    }
  });

  it('answers bad input with 400 listing every problem, and stores nothing', async () => {
    const admin = api.token('acme', 'ADMIN');
    const before = (await api.call('GET', '/sessions', { token: admin })).body.length;
    const sessionId = await newSession();
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/sessions', {}, /Session_Name/],
      [
        'POST',
        '/sessions',
        { Session_Name: 5, Phone_Number: 'abc' },
        /Session_Name.*Phone_Number|Phone_Number.*Session_Name/,
      ],
      ['POST', '/sessions', { Session_Name: 'ok', Extra: true }, /Extra|unrecognized/i],
      ['POST', '/sessions', '{"Session_Name": ', /JSON|body/i],
      ['PATCH', `/sessions/${sessionId}`, {}, /nothing to update/],
      ['PATCH', `/sessions/${sessionId}`, { Session_Name: '' }, /Session_Name/],
      ['GET', '/sessions/not-a-uuid', undefined, /UUID/],
      ['GET', `/whatsapp/sessions/${sessionId}/chats/5511988887777/messages?limit=0`, undefined, /limit/],
      [
        'GET',
        `/whatsapp/sessions/${sessionId}/chats/5511988887777/messages?limit=201`,
        undefined,
        /limit.*200/,
      ],
      ['GET', `/whatsapp/sessions/${sessionId}/chats/5511988887777/messages?limit=abc`, undefined, /limit/],
      [
        'GET',
        `/whatsapp/sessions/${sessionId}/chats/not-a-number/messages`,
        undefined,
        /international format/,
      ],
      ['GET', `/whatsapp/sessions/${sessionId}/chats?unknown=1`, undefined, /unknown|unrecognized/i],
      ['POST', `/simulator/sessions/${sessionId}/incoming`, { body: 'no sender' }, /from/],
      [
        'POST',
        `/simulator/sessions/${sessionId}/incoming`,
        { from: '120363025246125486@g.us', body: 'x' },
        /author/,
      ],
    ];
    for (const [method, path, body, message] of cases) {
      const reply = await api.call(method, path, { token: admin, ...(body === undefined ? {} : { body }) });
      expect([method, path, reply.status]).toEqual([method, path, 400]);
      expect(reply.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(String(reply.body.message)).toMatch(message);
    }
    const huge = await api.call('POST', '/sessions', {
      token: admin,
      body: { Session_Name: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect((await api.call('GET', '/sessions', { token: admin })).body.length).toBe(before + 1);
    expect((await api.call('GET', `/sessions/${sessionId}`, { token: admin })).body).toMatchObject({
      Session_Name: 'Matrix',
    });
  });

  it('answers unknown routes with 404 in the same error shape, and health and docs without a token', async () => {
    expect(await api.call('GET', '/nope', { token: api.token('acme', 'ADMIN') })).toMatchObject({
      status: 404,
      body: { statusCode: 404, error: 'Not Found' },
    });
    expect((await api.call('GET', '/healthz')).status).toBe(200);
    expect((await api.call('GET', '/docs/json')).body).toMatchObject({
      openapi: expect.stringMatching(/^3/),
    });
  });
});

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
