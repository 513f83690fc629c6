import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from './error-handler.js';
import { interactiveRoutes, interactiveUnsupportedReason } from './routes/interactive-routes.js';

describe('error replies', () => {
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);

  beforeAll(async () => {
    await app.register(interactiveRoutes());
  });
  afterAll(async () => {
    await app.close();
  });

  it('says a 501 for buttons and lists is WhatsApp not delivering them to app accounts, not unfinished work', async () => {
    for (const path of ['send-buttons', 'send-list']) {
      const reply = await app.inject({
        method: 'POST',
        url: `/whatsapp/messages/${path}`,
        payload: { sessionId: '6f1d3c0e-8a7b-4f2e-9c5d-1a2b3c4d5e6f', to: '5511988887777' },
      });
      expect(reply.statusCode, path).toBe(501);
      expect(reply.json(), path).toEqual({
        statusCode: 501,
        error: 'Not Delivered by WhatsApp to App Accounts',
        message: interactiveUnsupportedReason,
        requestId: expect.any(String),
      });
    }
  });
});
