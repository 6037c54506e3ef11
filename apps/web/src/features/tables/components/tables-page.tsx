export function TablesPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Tables</h1>
      <p className="empty">
        Memory-sink tables of running queries appear here, with their rows updated live.
      </p>
    </section>
  );
}
