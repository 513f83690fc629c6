import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SimulatorControls } from '../../adapters/whatsapp/simulator/simulator-driver.js';
import { errorReply, sessionErrors, sessionIdParams } from '../schemas/common.js';

const pairBody = z.object({ code: z.string().min(1).max(20) }).strict();

/** `POST /simulator/sessions/:id/pair`: the phone enters the pairing code of a session linking by phone number. */
export const simulatorPairingRoutes =
  (simulator: Pick<SimulatorControls, 'pair'>): FastifyPluginAsyncZod =>
  (app) => {
    app.post(
      '/simulator/sessions/:id/pair',
      {
        config: { access: 'manage', sessionParam: 'id' },
        schema: {
          tags: ['simulator'],
          summary:
            'The phone enters the pairing code: the session connects (400 for a wrong code, 409 when the session is not waiting for one)',
          params: sessionIdParams,
          body: pairBody,
          response: { 204: z.null(), ...sessionErrors, 409: errorReply },
        },
      },
      async (request, reply) => {
        await simulator.pair(request.params.id, request.body.code);
        return reply.status(204).send(null);
      },
    );
    return Promise.resolve();
  };
