/**
 * `npm start`: the offline demo. Starts the fake CI service on 127.0.0.1 with the demo key and a few hundred
 * seeded animation jobs, then runs the real `ci-media jobs list --all` binary against it (real signing, real
 * HTTP, real NextToken paging), and stops the service. Needs no credentials and no network.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEMO_CREDENTIALS, DEMO_QUEUE_ID, startFakeCi } from '@cloud-infinite/mock';

const JOBS = 300;

async function main(): Promise<number> {
  const fake = await startFakeCi({ port: 0, jobs: JOBS, seed: 2024 });
  console.log(`fake CI service on ${fake.url} with ${JOBS} seeded animation jobs in queue ${DEMO_QUEUE_ID}\n`);
  try {
    const args = ['jobs', 'list', '--endpoint', fake.url, '--queue-id', DEMO_QUEUE_ID, '--size', '50', '--all'];
    console.log(`$ ci-media ${args.join(' ')}\n`);
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, [join(__dirname, 'bin.js'), ...args], {
        stdio: 'inherit',
        env: {
          ...process.env,
          TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS.secretId,
          TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS.secretKey,
          TENCENTCLOUD_SESSION_TOKEN: '',
        },
      });
      child.once('error', reject);
      child.once('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    await fake.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
