/** Remembers the last `size` keys: enough to recognise a redelivery of something this reader just read. */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly size: number) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    this.keys.add(key);
    if (this.keys.size > this.size) this.keys.delete(this.keys.values().next().value as string);
  }
}
