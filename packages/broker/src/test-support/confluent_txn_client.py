"""confluent-kafka (librdkafka) transactions against the broker: a committed and an aborted
transaction, then send_offsets_to_transaction. Prints one JSON line."""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap, topic = sys.argv[1], sys.argv[2]
p = Producer({'bootstrap.servers': bootstrap, 'transactional.id': 'ck-tx'})
p.init_transactions(10)
p.begin_transaction()
for i in range(5):
    p.produce(topic, value=b'commit-%d' % i, partition=0)
p.commit_transaction(10)
p.begin_transaction()
for i in range(5):
    p.produce(topic, value=b'abort-%d' % i, partition=0)
p.flush()
p.abort_transaction(10)

c = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'ck-group', 'auto.offset.reset': 'earliest',
              'isolation.level': 'read_committed', 'enable.auto.commit': False})
c.subscribe([topic])
got = []
deadline = time.time() + 15
while time.time() < deadline and len(got) < 5:
    m = c.poll(0.2)
    if m is not None and not m.error():
        got.append(m.value().decode())
p.begin_transaction()
p.produce(topic, value=b'commit-last', partition=0)
p.send_offsets_to_transaction([TopicPartition(topic, 0, 3)], c.consumer_group_metadata(), 10)
p.commit_transaction(10)
committed = c.committed([TopicPartition(topic, 0)], 10)[0].offset
c.close()
print(json.dumps({"read_committed": got, "committed": committed}))
