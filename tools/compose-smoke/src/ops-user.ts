import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface ConsumerRow {
  stream: string;
  name: string;
  pending: number;
  ackPending: number;
  redelivered: number;
}

/** `nats consumer report`'s gist, one line per consumer. */
export function describeConsumers(rows: readonly ConsumerRow[]): string {
  return rows
    .map((row) => `${row.stream}/${row.name}: ${row.pending} unprocessed, ${row.ackPending} ack pending, ${row.redelivered} redelivered`)
    .join('; ');
}

/**
 * What `nats stream ls` and `nats consumer report` ask, as the read-only ops
 * user through NATS's published port, and whether a purge is refused to it.
 */
export async function opsLookups(
  url: string,
  credentials: { user: string; pass: string },
): Promise<{ streams: string[]; consumers: ConsumerRow[]; purgeRefused: boolean }> {
  const nc = await connect({ servers: url, name: 'compose-smoke-ops', maxReconnectAttempts: 0, ...credentials });
  try {
    const jsm = await jetstreamManager(nc);
    const streams: string[] = [];
    for await (const name of jsm.streams.names()) streams.push(name);
    const consumers: ConsumerRow[] = [];
    for (const stream of streams.sort()) {
      for await (const info of jsm.consumers.list(stream)) {
        consumers.push({
          stream,
          name: info.name,
          pending: info.num_pending,
          ackPending: info.num_ack_pending,
          redelivered: info.num_redelivered,
        });
      }
    }
    const purgeRefused = await jsm.streams.purge(streams[0] ?? 'LAB_QUEUE').then(
      () => false,
      (error: unknown) => error instanceof Error && /Permissions Violation/i.test(error.message),
    );
    return { streams, consumers, purgeRefused };
  } finally {
    await nc.close();
  }
}
