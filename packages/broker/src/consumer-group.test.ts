/** A kafkajs consumer group of 3 rebalancing when a member leaves and when one dies (SIGKILL). */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AssignerProtocol, type Consumer, Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type TestBroker, testBroker, waitUntil } from './test-support/harness.js';

const member = fileURLToPath(new URL('./test-support/group-member.mjs', import.meta.url));
let broker: TestBroker;
let kafka: Kafka;
const children: ChildProcess[] = [];

beforeAll(async () => {
  broker = await testBroker();
  kafka = new Kafka({ clientId: 'group-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await broker?.cleanup();
});

async function assignments(admin: ReturnType<Kafka['admin']>, groupId: string) {
  const { groups } = await admin.describeGroups([groupId]);
  const g = groups[0]!;
  return {
    state: g.state,
    members: g.members.map((m) => {
      const a = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
      return { clientId: m.clientId, partitions: (a?.assignment.grp ?? []).slice().sort((x, y) => x - y) };
    }),
  };
}

test('group of 3: partitions split, rebalanced on leave and on member death', async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'grp', numPartitions: 6 }] });
  const consumed = new Map<string, number>();
  const start = async (name: string): Promise<Consumer> => {
    const c = kafka.consumer({
      groupId: 'g3',
      sessionTimeout: 6000,
      heartbeatInterval: 300,
      maxWaitTimeInMs: 200,
    });
    await c.connect();
    await c.subscribe({ topic: 'grp', fromBeginning: true });
    await c.run({
      eachMessage: async ({ message }) => {
        consumed.set(message.value!.toString(), (consumed.get(message.value!.toString()) ?? 0) + 1);
        void name;
      },
    });
    return c;
  };
  const a = await start('a');
  const b = await start('b');
  const child = spawn(process.execPath, [member, broker.bootstrap, 'g3', 'grp', '6000'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);

  const describe3 = async () => {
    const d = await assignments(admin, 'g3');
    return (
      d.state === 'Stable' && d.members.length === 3 && d.members.every((m) => m.partitions.length === 2)
    );
  };
  await waitUntil(describe3, 30_000, '3 stable members with 2 partitions each');
  const three = await assignments(admin, 'g3');
  expect(three.members.flatMap((m) => m.partitions).sort()).toEqual([0, 1, 2, 3, 4, 5]);
  expect(three.members.map((m) => m.clientId).sort()).toEqual(['child-member', 'group-test', 'group-test']);

  // Every message is consumed once by the group.
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: 'grp',
    messages: Array.from({ length: 60 }, (_, i) => ({ value: `m${i}`, partition: i % 6 })),
  });
  await waitUntil(() => [...consumed.keys()].length >= 40, 20_000, 'in-process members consume their share');

  // b leaves cleanly: a and the child share the 6 partitions.
  await b.disconnect();
  await waitUntil(
    async () => {
      const d = await assignments(admin, 'g3');
      return (
        d.state === 'Stable' && d.members.length === 2 && d.members.every((m) => m.partitions.length === 3)
      );
    },
    30_000,
    '2 members after leave',
  );

  // The child dies without leaving: after its session timeout a gets everything.
  child.kill('SIGKILL');
  await waitUntil(
    async () => {
      const d = await assignments(admin, 'g3');
      return d.state === 'Stable' && d.members.length === 1 && d.members[0]!.partitions.length === 6;
    },
    30_000,
    'a alone after the child died',
  );
  await producer.send({
    topic: 'grp',
    messages: Array.from({ length: 12 }, (_, i) => ({ value: `late${i}`, partition: i % 6 })),
  });
  await waitUntil(
    () => [...consumed.keys()].filter((k) => k.startsWith('late')).length === 12,
    20_000,
    'a consumes all partitions',
  );
  await producer.disconnect();
  await a.disconnect();
  await admin.disconnect();
}, 90_000);
