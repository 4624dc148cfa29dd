/**
 * Property: whatever the data, filters, order and page sizes, and whatever jobs are added between pages,
 * paging returns every job that matched from the start exactly once, in order, and no job twice.
 */
import fc from 'fast-check';
import { formatCiTime } from '@cloud-infinite/runtime';
import { shapes, type MediaJob } from '@cloud-infinite/client';
import { decodeXml } from '@cloud-infinite/runtime';
import { DEMO_QUEUE_ID, FakeCiService, compareSortKeys, sortKeyOf } from '../src';

const NOW = Date.UTC(2024, 4, 6, 3, 12, 9);
const STATES = ['Submitted', 'Running', 'Success', 'Failed', 'Cancel'] as const;

async function page(service: FakeCiService, query: Record<string, string>): Promise<{ ids: string[]; next?: string }> {
  const search = Object.entries(query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  const res = await service.handle({ method: 'GET', url: `/jobs?${search}`, headers: {} });
  if (res.status !== 200) throw new Error(res.body);
  const out = decodeXml(res.body, shapes.documents.DescribeMediaJobsResponse) as { JobsDetail: MediaJob[]; NextToken?: string };
  return { ids: out.JobsDetail.map((j) => j.JobId), next: out.NextToken };
}

test('keyset paging never repeats or skips a job', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 1, max: 1000 }),
      fc.constantFrom('Asc' as const, 'Desc' as const),
      fc.subarray([...STATES]),
      fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.integer({ min: -7 * 86_400, max: 86_400 }), { maxLength: 6 }),
      async (count, seed, order, states, sizes, inserts) => {
        const service = new FakeCiService({ credentials: false, jobs: count, seed, now: () => NOW });
        const filter = (j: MediaJob) => states.length === 0 || (states as readonly string[]).includes(j.State);
        const expected = service.store
          .listJobs({ order })
          .jobs.filter(filter)
          .map((j) => j.JobId);
        const base: Record<string, string> = { queueId: DEMO_QUEUE_ID, tag: 'Animation', orderByTime: order };
        if (states.length) base.states = states.join(',');
        const ids: string[] = [];
        let token: string | undefined;
        let i = 0;
        do {
          const p = await page(service, { ...base, size: String(sizes[i % sizes.length]), ...(token ? { nextToken: token } : {}) });
          ids.push(...p.ids);
          token = p.next;
          const offset = inserts[i];
          if (offset !== undefined) {
            service.store.addJob({
              JobId: `jz${seed}x${i}`,
              Tag: 'Animation',
              State: states[0] ?? 'Submitted',
              CreationTime: formatCiTime(new Date(NOW + offset * 1000), 480),
              QueueId: DEMO_QUEUE_ID,
            });
          }
          i++;
          if (i > count + inserts.length + 2) throw new Error('paging does not end');
        } while (token);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.filter((id) => !id.startsWith('jz'))).toEqual(expected);
        // and the whole listing is in order
        const keys = ids.map((id) => sortKeyOf(service.store.getJob(id)!));
        for (let k = 1; k < keys.length; k++) {
          const c = compareSortKeys(keys[k - 1]!, keys[k]!);
          expect(order === 'Asc' ? c < 0 : c > 0).toBe(true);
        }
      },
    ),
    { numRuns: 150 },
  );
});
