/** Error types: stable names, and instanceof / isInstance across duplicated copies of the package. */
import * as errors from '../src/errors';

function otherCopy(): typeof errors {
  let copy: typeof errors | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the module needs a require inside isolateModules
    copy = require('../src/errors') as typeof errors;
  });
  expect(copy!.CiServiceError).not.toBe(errors.CiServiceError);
  return copy!;
}

const response = { statusCode: 503, headers: { 'x-ci-request-id': 'r' }, bodyExcerpt: '<Error/>' };

describe('errors', () => {
  test('each class has a stable name', () => {
    expect(new errors.CiServiceError({ code: 'X', message: 'm', statusCode: 500, response }).name).toBe('CiServiceError');
    expect(new errors.CiNetworkError('m').name).toBe('CiNetworkError');
    expect(new errors.CiTimeoutError(5).name).toBe('CiTimeoutError');
    expect(new errors.CiAbortError().name).toBe('CiAbortError');
    expect(new errors.CiDecodeError('m', { path: 'Response.A' }).name).toBe('CiDecodeError');
    expect(new errors.CiValidationError('m').name).toBe('CiValidationError');
    expect(new errors.CiCredentialsError('m').name).toBe('CiCredentialsError');
  });

  test('instanceof and isInstance work across two copies of the package', () => {
    const copy = otherCopy();
    const foreign = new copy.CiServiceError({ code: 'Throttling', message: 'slow down', statusCode: 503, response });
    expect(foreign).toBeInstanceOf(errors.CiServiceError);
    expect(foreign).toBeInstanceOf(errors.CiError);
    expect(foreign).not.toBeInstanceOf(errors.CiDecodeError);
    expect(errors.CiError.isInstance(foreign)).toBe(true);
    expect(new errors.CiTimeoutError(1)).toBeInstanceOf(copy.CiTimeoutError);
    expect(new errors.CiTimeoutError(1)).not.toBeInstanceOf(copy.CiNetworkError);
    expect(errors.CiError.isInstance(new Error('x'))).toBe(false);
    expect(new Error('x')).not.toBeInstanceOf(errors.CiError);
  });

  test('$response is kept but not enumerable; the message is the service message', () => {
    const e = new errors.CiServiceError({
      code: 'InvalidArgument',
      message: 'size is invalid',
      statusCode: 400,
      requestId: 'rid',
      response,
    });
    expect(e.message).toBe('size is invalid');
    expect(String(e)).toBe('CiServiceError: InvalidArgument: size is invalid (HTTP 400, request id rid)');
    expect(e.$response.statusCode).toBe(503);
    expect(Object.keys(e)).toEqual(expect.not.arrayContaining(['$response']));
    expect(JSON.stringify(e)).not.toContain('bodyExcerpt');
  });

  test('excerpts are bounded', () => {
    expect(errors.excerpt('x'.repeat(5000)).length).toBeLessThan(1100);
    expect(new errors.CiDecodeError('bad', { excerpt: 'y'.repeat(5000) }).excerpt!.length).toBeLessThan(260);
  });
});
