import {
  itemMessageId,
  itemSubject,
  traceHeaders,
  TRACED_ITEMS_PER_RUN,
  WRITER_QUEUE_GROUP,
  WRITER_REQUEST_SUBJECT,
  type QueueItem,
  type WriteRequest,
} from '@concurrency-lab/queue';
import { failSpan, labTracer, messagingAttributes, messagingSpanName, withSpan } from '@concurrency-lab/tracing';
import type { MsgHdrs } from '@nats-io/transport-node';
import { context, SpanKind, trace, type Context } from '@opentelemetry/api';

/**
 * Writes a run inside its `write run` span: the server side of the
 * coordinator's request (its context, from the request's headers, the parent),
 * so every log line of the run carries the trace id.
 */
export function inWriteRunSpan(request: WriteRequest, parent: Context, write: () => Promise<void>): Promise<void> {
  const span = labTracer().startSpan(
    'write run',
    {
      kind: SpanKind.SERVER,
      attributes: {
        ...messagingAttributes({
          operation: 'process',
          operationName: 'process',
          destination: WRITER_REQUEST_SUBJECT,
          consumerGroup: WRITER_QUEUE_GROUP,
        }),
        'lab.run.id': request.runId,
        'lab.run.items': request.items.length,
        'lab.run.transport': request.transport,
      },
    },
    parent,
  );
  return withSpan(span, parent, write);
}

/**
 * The per-item spans of one run: a PRODUCER span per published item, its
 * context in the item's headers, for the first TRACED_ITEMS_PER_RUN items of a
 * JetStream run; the rest are only counted on the run span. Undefined (no
 * per-item work at all) when the run span is not recording or for core NATS,
 * whose per-item path stays untraced.
 */
export class ItemTracing {
  private constructor(
    private readonly runContext: Context,
    readonly limit: number,
  ) {}

  static of(request: WriteRequest): ItemTracing | undefined {
    const runContext = context.active();
    const runSpan = trace.getSpan(runContext);
    if (!runSpan?.isRecording() || request.transport !== 'jetstream') return undefined;
    const limit = Math.min(TRACED_ITEMS_PER_RUN, request.items.length);
    runSpan.setAttributes({ 'lab.queue.traced_items': limit, 'lab.queue.untraced_items': request.items.length - limit });
    return new ItemTracing(runContext, limit);
  }

  /** Publishes one item in its own PRODUCER span, the span's context in the item's headers. */
  publish<T>(item: QueueItem, send: (headers: MsgHdrs) => Promise<T>): Promise<T> {
    const destination = itemSubject(item.runId, 'jetstream');
    const span = labTracer().startSpan(
      messagingSpanName({ operationName: 'publish', destination }),
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          ...messagingAttributes({
            operation: 'send',
            operationName: 'publish',
            destination,
            messageId: itemMessageId(item.runId, item.seq),
          }),
          'lab.queue.seq': item.seq,
        },
      },
      this.runContext,
    );
    return send(traceHeaders(trace.setSpan(this.runContext, span))).then(
      (result) => {
        span.end();
        return result;
      },
      (error: unknown) => {
        failSpan(span, error);
        span.end();
        throw error;
      },
    );
  }
}
