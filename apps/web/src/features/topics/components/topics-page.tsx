export function TopicsPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Topics</h1>
      <p className="empty">
        Kafka topics with their partitions and offsets, a message browser and a producer.
      </p>
    </section>
  );
}
