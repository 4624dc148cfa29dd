/**
 * Errors the fake service answers with. A handler throws a {@link FakeCiError}; the service turns it into the
 * documented `<Error><Code/><Message/><RequestId/><TraceId/></Error>` document with its HTTP status.
 */

/** A refusal: the HTTP status, the CI error code and message of the `<Error>` body. */
export class FakeCiError extends Error {
  /** HTTP status code, e.g. 400, 403. */
  readonly status: number;
  /** The `<Code>`, e.g. `InvalidArgument`, `SignatureDoesNotMatch`. */
  readonly code: string;
  /** Extra response headers (e.g. `allow` on a 405), lower-case names. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.name = 'FakeCiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** 400 `InvalidArgument`: a parameter is missing, malformed or out of range. */
export const invalidArgument = (message: string): FakeCiError => new FakeCiError(400, 'InvalidArgument', message);

/** 404 `ResourceNotFound`: no such route (or, later, no such job/queue/template). */
export const resourceNotFound = (message: string): FakeCiError => new FakeCiError(404, 'ResourceNotFound', message);

/** 405 `MethodNotAllowed`: the path exists, not with this method; `allow` lists the methods it has. */
export const methodNotAllowed = (method: string, path: string, allowed: readonly string[]): FakeCiError =>
  new FakeCiError(405, 'MethodNotAllowed', `The method ${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}.`, {
    allow: allowed.join(', '),
  });

/**
 * 400 `ResourceNotFound`: no job, queue or template with this id. CI lists ResourceNotFound among its 400
 * codes, so an unknown *id* is a 400 — an unknown *path* stays a 404 (see {@link resourceNotFound}).
 */
export const noSuchResource = (message: string): FakeCiError => new FakeCiError(400, 'ResourceNotFound', message);

/** 400 `ResourceAccessDenied`: the resource exists but may not be changed (e.g. an Official template). */
export const resourceAccessDenied = (message: string): FakeCiError => new FakeCiError(400, 'ResourceAccessDenied', message);

/** 400 `MissingContent`: the operation needs a request body and none was sent. */
export const missingContent = (message: string): FakeCiError => new FakeCiError(400, 'MissingContent', message);

/** 400 `InvalidContent`: the request body is not a well-formed `<Request>` document. */
export const invalidContent = (message: string): FakeCiError => new FakeCiError(400, 'InvalidContent', message);

/** 400 `InvalidDigest`: the `Content-MD5` header does not match the body received. */
export const invalidDigest = (message: string): FakeCiError => new FakeCiError(400, 'InvalidDigest', message);
