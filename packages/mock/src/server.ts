/** The fake CI service over node:http, for tests and `ci-media mock serve`. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeConnectionError } from './faults';
import type { FakeRequest, FakeResponse } from './request';
import { FakeCiService, type FakeCiOptions } from './service';

/** Largest request body read, in bytes (1 MiB); a larger one is refused with 413. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** Options of {@link startFakeCi}. */
export interface StartFakeCiOptions extends FakeCiOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /**
   * Answer cross-origin requests from a browser page (HTTP server only; the in-process service and the MSW
   * handlers are unaffected): `true` allows any origin, a string allows that one origin (e.g.
   * `http://127.0.0.1:8080`). A preflight (`OPTIONS` with `Access-Control-Request-Method`) gets 204 with
   * `Access-Control-Allow-Origin`/`-Methods`/`-Headers` (the requested headers: `Authorization`, `Content-MD5`,
   * `x-ci-*`, …) and `-Max-Age`; every other answer gets `Access-Control-Allow-Origin` and
   * `Access-Control-Expose-Headers: *` (so `x-ci-request-id` reaches `$metadata`). Off by default.
   */
  readonly cors?: boolean | string;
}

/** A running fake CI server. */
export interface RunningFakeCi {
  /** Base URL, e.g. `http://127.0.0.1:53127` (use it as the client's `endpoint`). */
  readonly url: string;
  readonly service: FakeCiService;
  /** Stops listening, closes every connection (idle keep-alive ones included) and the service ({@link FakeCiService.close}). */
  close(): Promise<void>;
}

/**
 * Starts the fake CI service on node:http. Every request is answered by {@link FakeCiService.handle}.
 * ```ts
 * const ci = await startFakeCi({ jobs: 250 });
 * const client = new CiMediaClient({ endpoint: ci.url, credentials: DEMO_CREDENTIALS });
 * …
 * await ci.close();
 * ```
 */
export async function startFakeCi(options: StartFakeCiOptions = {}): Promise<RunningFakeCi> {
  const service = new FakeCiService(options);
  const host = options.host ?? '127.0.0.1';
  const cors = corsOrigin(options.cors);
  const server = createServer((req, res) => {
    if (cors !== undefined) {
      res.setHeader('access-control-allow-origin', cors);
      res.setHeader('access-control-expose-headers', '*');
      if (cors !== '*') res.setHeader('vary', 'Origin');
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, PUT, DELETE',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
          'access-control-max-age': '600',
          'content-length': '0',
        });
        res.end();
        return;
      }
    }
    serve(service, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake CI server error: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    service,
    close() {
      service.close();
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** The `Access-Control-Allow-Origin` value of a `cors` option, or undefined when CORS is off. */
function corsOrigin(cors: boolean | string | undefined): string | undefined {
  if (cors === undefined || cors === false) return undefined;
  return cors === true ? '*' : cors;
}

async function serve(service: FakeCiService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.byteLength;
    if (size > MAX_REQUEST_BODY_BYTES) {
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
      res.end('request body too large');
      req.destroy();
      return;
    }
    chunks.push(buf);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const request: FakeRequest = {
    method: req.method ?? 'GET',
    url: `http://${headers.host ?? 'localhost'}${req.url ?? '/'}`,
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
  // the caller going away (socket closed before the answer) ends a `slow` fault early
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  let response: FakeResponse;
  try {
    response = await service.handle(request, { signal: gone.signal });
  } catch (err) {
    if (err instanceof FakeConnectionError) {
      req.socket.destroy(); // `reset`: no answer at all
      return;
    }
    throw err;
  }
  const body = Buffer.from(response.body, 'utf8');
  if (response.truncatedFrom !== undefined) {
    // `truncated`: promise the whole body, send part of it, drop the connection
    res.writeHead(response.status, { ...response.headers, 'content-length': String(response.truncatedFrom) });
    res.write(body, () => res.destroy());
    return;
  }
  res.writeHead(response.status, { ...response.headers, 'content-length': String(body.byteLength) });
  res.end(body);
}
