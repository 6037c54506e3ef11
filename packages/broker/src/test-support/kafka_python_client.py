"""kafka-python (Debian python3-kafka) against the broker: produce N messages with acks=all, then
consume them in a group and commit. Prints one JSON line with what it saw. An optional fifth
argument pins kafka-python's protocol generation (e.g. "1.0.0"), as its api_version option."""
import json
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

bootstrap, topic, group, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
extra = {'api_version': tuple(int(x) for x in sys.argv[5].split('.'))} if len(sys.argv) > 5 else {}
producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all', key_serializer=str.encode, value_serializer=str.encode, **extra)
futures = [producer.send(topic, key='k%d' % (i % 5), value='py-%d' % i) for i in range(count)]
producer.flush()
offsets = [f.get(timeout=10).offset for f in futures]
producer.close()

consumer = KafkaConsumer(
    topic,
    bootstrap_servers=bootstrap,
    group_id=group,
    auto_offset_reset='earliest',
    enable_auto_commit=False,
    consumer_timeout_ms=10000,
    **extra,
)
values = []
for msg in consumer:
    values.append(msg.value.decode())
    if len(values) >= count:
        break
consumer.commit()
partitions = consumer.partitions_for_topic(topic)
committed = sum(consumer.committed(TopicPartition(topic, p)) or 0 for p in partitions)
consumer.close()
print(json.dumps({"acked": len(offsets), "values": values, "committed": committed}))
