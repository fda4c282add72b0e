/**
 * A run's events: those so far, and each new one as it comes. Once closed
 * only the last event is kept, enough to tell a late subscriber how the run ended.
 */
export class EventLog<Event> {
  private events: Event[] = [];
  private readonly listeners = new Set<(event: Event) => void>();
  private closed = false;

  emit(event: Event): void {
    if (this.closed) return;
    this.events.push(event);
    for (const listener of this.listeners) listener(event);
  }

  /** The events so far (after close, the last one only). */
  soFar(): readonly Event[] {
    return [...this.events];
  }

  /** Hands the listener the events so far, then each new one; returns how to stop. */
  subscribe(listener: (event: Event) => void): () => void {
    for (const event of this.events) listener(event);
    if (this.closed) return () => undefined;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** No more events: subscribers are let go and only the last event is kept. */
  close(): void {
    this.closed = true;
    this.events = this.events.slice(-1);
    this.listeners.clear();
  }
}
