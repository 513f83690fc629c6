import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-errors.js';

/** Where a U+0000 was found: the same shape as the details of a validation error. */
export interface NulCharacterProblem {
  location: string;
  path: string;
  message: string;
}

const problemMessage = 'não pode conter o caractere U+0000 (NUL)';

/**
 * A text with U+0000 (NUL), refused with 400: PostgreSQL cannot store it in text or jsonb, so accepting it
 * would fail later with a 500, or worse, after the request was acknowledged.
 */
export class NulCharacterError extends HttpError {
  override readonly name = 'NulCharacterError';

  constructor(readonly details: NulCharacterProblem[]) {
    super(
      400,
      `Requisição inválida: ${details.map((d) => `${d.location} ${d.path}: ${d.message}`).join('; ')}`,
    );
  }
}

/**
 * Every string (and key) under `value` that holds U+0000, with its path.
 *
 * @example
 * nulCharacterProblems({ message: 'a\u0000b' }, 'body'); // [{ location: 'body', path: 'message', … }]
 */
export function nulCharacterProblems(value: unknown, location: string, path = ''): NulCharacterProblem[] {
  const here = () => ({ location, path: path || '(root)', message: problemMessage });
  if (typeof value === 'string') return value.includes('\u0000') ? [here()] : [];
  if (Array.isArray(value))
    return value.flatMap((item, index) => nulCharacterProblems(item, location, join(path, String(index))));
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(key.includes('\u0000') ? [{ ...here(), path: join(path, key) }] : []),
    ...nulCharacterProblems(item, location, join(path, key)),
  ]);
}

/** Throws NulCharacterError when any of the named parts of a request holds U+0000. */
export function refuseNulCharacters(parts: Record<string, unknown>): void {
  const problems = Object.entries(parts).flatMap(([location, value]) =>
    nulCharacterProblems(value, location),
  );
  if (problems.length > 0) throw new NulCharacterError(problems);
}

/**
 * Refuses U+0000 in the body, query and parameters of every route, before validation. Routes whose input
 * stands for what WhatsApp reports (the simulator's) opt out: WhatsApp's NULs are kept, escaped when recorded.
 */
export function registerNulCharacterCheck(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.routeOptions.config.whatsAppContent) return done();
    try {
      refuseNulCharacters({ params: request.params, querystring: request.query, body: request.body });
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
