export function DeadLettersPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Dead letters</h1>
      <p className="empty">
        Records that could not be processed, archived from the dead-letter topics, with their reason, payload
        and replay.
      </p>
    </section>
  );
}
