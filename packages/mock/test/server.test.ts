/** The node:http server: addresses, bodies, headers, and a clean close with keep-alive sockets open. */
import { Agent, request } from 'node:http';
import { DEMO_QUEUE_ID, startFakeCi } from '../src';
import { signedFetch, signedHeaders, target } from './helpers';

test('listens on 127.0.0.1 and a free port by default; close() is idempotent', async () => {
  const ci = await startFakeCi();
  expect(ci.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  await Promise.all([ci.close(), ci.close()]);
  await expect(fetch(`${ci.url}/jobs`)).rejects.toThrow();
});

test('content-length counts bytes (a non-ASCII message), and a request body is read', async () => {
  const ci = await startFakeCi();
  try {
    const res = await signedFetch(ci.url, { path: '/任务' });
    expect(res.status).toBe(404);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
    expect(res.body).toContain('/任务');
    const url = `${ci.url}/jobs`;
    const headers = signedHeaders({ method: 'POST', path: '/jobs', headers: { 'content-type': 'application/xml' } }, new URL(url).host);
    delete headers.host;
    const post = await fetch(url, { method: 'POST', headers, body: '<Request><Tag>Animation</Tag></Request>' });
    expect(post.status).toBe(400);
    expect(await post.text()).toContain('/Input is required'); // the body was read and decoded
  } finally {
    await ci.close();
  }
});

test('close() ends idle keep-alive connections, so the process can exit', async () => {
  const ci = await startFakeCi({ jobs: 3 });
  const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
  const url = new URL(ci.url);
  const path = target({
    path: '/jobs',
    query: [
      ['queueId', DEMO_QUEUE_ID],
      ['tag', 'Animation'],
    ],
  });
  const headers = signedHeaders(
    {
      path: '/jobs',
      query: [
        ['queueId', DEMO_QUEUE_ID],
        ['tag', 'Animation'],
      ],
    },
    url.host,
  );
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
  expect(status).toBe(200);
  const started = Date.now();
  await ci.close();
  expect(Date.now() - started).toBeLessThan(1000);
  agent.destroy();
});

test('a fixed port and host can be given', async () => {
  const probe = await startFakeCi();
  const port = Number(new URL(probe.url).port);
  await probe.close();
  const ci = await startFakeCi({ port, host: '127.0.0.1' });
  try {
    expect(ci.url).toBe(`http://127.0.0.1:${port}`);
  } finally {
    await ci.close();
  }
});

describe('cors (for a client in a browser page)', () => {
  test('off by default: no Access-Control-* header', async () => {
    const ci = await startFakeCi();
    try {
      const res = await fetch(`${ci.url}/jobs`, {
        method: 'OPTIONS',
        headers: { origin: 'http://page.test', 'access-control-request-method': 'GET' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      await res.arrayBuffer();
    } finally {
      await ci.close();
    }
  });

  test('a preflight gets 204 with the requested headers allowed; answers allow the origin and expose headers', async () => {
    const ci = await startFakeCi({ cors: 'http://page.test' });
    try {
      const pre = await fetch(`${ci.url}/jobs`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://page.test',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-md5',
        },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe('http://page.test');
      expect(pre.headers.get('access-control-allow-headers')).toBe('authorization,content-md5');
      expect(pre.headers.get('access-control-allow-methods')).toContain('POST');
      const res = await signedFetch(ci.url, {
        path: '/jobs',
        query: [
          ['queueId', DEMO_QUEUE_ID],
          ['tag', 'Animation'],
        ],
      });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('http://page.test');
      expect(res.headers['access-control-expose-headers']).toBe('*');
    } finally {
      await ci.close();
    }
  });
});
