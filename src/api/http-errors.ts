/** An error the API answers with a given status and message (the message is shown to clients as it is). */
export class HttpError extends Error {
  override readonly name: string = 'HttpError';

  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export class UnauthorizedError extends HttpError {
  override readonly name = 'UnauthorizedError';

  constructor(message = 'Token ausente ou inválido') {
    super(401, message);
  }
}

export class ForbiddenError extends HttpError {
  override readonly name = 'ForbiddenError';

  constructor(message = 'Permissão insuficiente para esta operação') {
    super(403, message);
  }
}

export class NotFoundError extends HttpError {
  override readonly name = 'NotFoundError';

  constructor(message = 'Sessão não encontrada') {
    super(404, message);
  }
}
