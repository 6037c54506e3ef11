// A kafkajs group member in its own process, so a test can kill it with SIGKILL (no LeaveGroup).
// argv: bootstrap groupId topic sessionTimeoutMs. Prints "assigned <json>" on each assignment.
import kafkajs from 'kafkajs';

const [bootstrap, groupId, topic, sessionTimeout] = process.argv.slice(2);
const kafka = new kafkajs.Kafka({
  clientId: 'child-member',
  brokers: [bootstrap],
  logLevel: kafkajs.logLevel.NOTHING,
});
const consumer = kafka.consumer({
  groupId,
  sessionTimeout: Number(sessionTimeout),
  heartbeatInterval: 300,
  maxWaitTimeInMs: 200,
});
consumer.on(consumer.events.GROUP_JOIN, (e) => {
  process.stdout.write(`assigned ${JSON.stringify(e.payload.memberAssignment)}\n`);
});
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: true });
await consumer.run({ eachMessage: async () => {} });
