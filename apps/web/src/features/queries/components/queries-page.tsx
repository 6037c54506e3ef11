export function QueriesPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Queries</h1>
      <p className="empty">
        No streaming queries yet. Define one in the Editor; running queries appear here with their status,
        input and processing rates, and start/stop actions.
      </p>
    </section>
  );
}
