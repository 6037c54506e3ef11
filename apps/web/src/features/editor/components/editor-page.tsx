export function EditorPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Editor</h1>
      <p className="empty">
        Write Spark SQL over Kafka, file and rate sources, validate it, preview it into a memory table, and
        start it as a streaming query.
      </p>
    </section>
  );
}
