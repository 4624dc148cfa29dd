/** `ci-media sign`: the Authorization matches the official SDK; --explain shows the steps, never a secret. */
import { createHmac } from 'node:crypto';
import COS from 'cos-nodejs-sdk-v5';
import { BASE_ENV, SECRET_ID, SECRET_KEY, runCli } from './helpers';

const URL_TARGET = 'https://examplebucket-1250000000.ci.ap-beijing.myqcloud.com/jobs/j%20123?cancel';
const KEY_TIME = '1700000000;1700000900';

describe('ci-media sign', () => {
  test('prints the Authorization the official SDK computes for the same request', async () => {
    const r = await runCli(['sign', '-X', 'PUT', '--key-time', KEY_TIME, URL_TARGET]);
    expect(r.code).toBe(0);
    const expected = COS.getAuthorization({
      SecretId: SECRET_ID,
      SecretKey: SECRET_KEY,
      Method: 'PUT',
      Pathname: '/jobs/j 123',
      Query: { cancel: '' },
      Headers: { host: 'examplebucket-1250000000.ci.ap-beijing.myqcloud.com' },
      KeyTime: KEY_TIME,
    });
    expect(r.stdout.trim()).toBe(expected);
  });

  test('query and header flags are signed; + in a value stays a plus', async () => {
    // the flags are paired with their values, one pair per line
    // prettier-ignore
    const r = await runCli([
      'sign',
      '--key-time', KEY_TIME,
      '/jobs?queueId=p1&startCreationTime=2024-05-01T00:00:00%2B0800',
      '--query', 'tag=Animation',
      '--header', 'Content-Type: application/xml',
      '--header', 'x-ci-meta-Title:视频 (1)',
    ]);
    const expected = COS.getAuthorization({
      SecretId: SECRET_ID,
      SecretKey: SECRET_KEY,
      Method: 'get',
      Pathname: '/jobs',
      Query: { queueId: 'p1', startCreationTime: '2024-05-01T00:00:00+0800', tag: 'Animation' },
      Headers: { 'content-type': 'application/xml', 'x-ci-meta-title': '视频 (1)' },
      KeyTime: KEY_TIME,
    });
    expect(r.stdout.trim()).toBe(expected);
  });

  test('a raw + in a URL query is signed as the space the service reads', async () => {
    const raw = await runCli(['sign', '--key-time', KEY_TIME, '/jobs?startCreationTime=2024-05-01T00:00:00+0800']);
    const spaced = await runCli(['sign', '--key-time', KEY_TIME, '/jobs', '--query', 'startCreationTime=2024-05-01T00:00:00 0800']);
    const plus = await runCli(['sign', '--key-time', KEY_TIME, '/jobs?startCreationTime=2024-05-01T00:00:00%2B0800']);
    expect(raw.stdout).toBe(spaced.stdout);
    expect(raw.stdout).not.toBe(plus.stdout);
  });

  test('--explain spells out KeyTime, HttpString and StringToSign, and never the SecretKey or SignKey', async () => {
    const env = { ...BASE_ENV, TENCENTCLOUD_SESSION_TOKEN: 'session-token-value' };
    const r = await runCli(['sign', '--explain', '-X', 'PUT', '--key-time', KEY_TIME, URL_TARGET], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`KeyTime:        ${KEY_TIME}`);
    expect(r.stdout).toContain(
      '  put\\n\n  /jobs/j 123\\n\n  cancel=\\n\n  host=examplebucket-1250000000.ci.ap-beijing.myqcloud.com&x-ci-security-token=session-token-value\\n',
    );
    expect(r.stdout).toMatch(/StringToSign[^\n]*\n {2}sha1\\n\n {2}1700000000;1700000900\\n\n {2}[0-9a-f]{40}\\n/);
    expect(r.stdout).not.toContain(SECRET_KEY);
    const signKey = createHmac('sha1', SECRET_KEY).update(KEY_TIME).digest('hex');
    expect(r.stdout).not.toContain(signKey);
    const json = await runCli(['sign', '--explain', '--json', '--key-time', KEY_TIME, URL_TARGET]);
    expect(JSON.parse(json.stdout)).toMatchObject({ keyTime: KEY_TIME, urlParamList: 'cancel', headerList: 'host' });
    expect(json.stdout).not.toContain(SECRET_KEY);
  });

  test('bad input is a usage error; missing credentials a clear error', async () => {
    expect((await runCli(['sign', '--key-time', 'soon', '/jobs'])).code).toBe(2);
    expect((await runCli(['sign', 'jobs'])).code).toBe(2);
    expect((await runCli(['sign', '--header', 'nocolon', '/jobs'])).code).toBe(2);
    const r = await runCli(['sign', '/jobs'], { env: {} });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/TENCENTCLOUD_SECRET_ID/);
  });
});
