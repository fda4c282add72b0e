import { itemMessageId, itemSubject, READER_CONSUMER } from '@concurrency-lab/queue';
import { failSpan, labTracer, messagingAttributes, messagingSpanName } from '@concurrency-lab/tracing';
import { context, SpanKind, trace, type Context } from '@opentelemetry/api';
import type { Delivery, DeliveryTrace } from './item-source.js';

/**
 * Handles a traced item inside a CONSUMER span whose parent is the item's
 * publish span: its log lines carry the run's trace id, and its wait in the
 * stream (stored to delivered) is an attribute and an event, not a span of
 * its own. The span ends when the handling does (read, reported, or handed back).
 */
export function inProcessSpan(
  delivery: Delivery,
  traced: DeliveryTrace,
  handle: (processContext: Context) => Promise<void> | undefined,
): Promise<void> | undefined {
  const { item, deliveryCount } = delivery;
  const destination = itemSubject(item.runId, 'jetstream');
  const deliveredAt = Date.now();
  const waitedInStreamMs = Math.max(0, deliveredAt - traced.storedAtMs);
  const span = labTracer().startSpan(
    messagingSpanName({ operationName: 'process', destination }),
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...messagingAttributes({
          operation: 'process',
          operationName: 'process',
          destination,
          messageId: itemMessageId(item.runId, item.seq),
          consumerGroup: READER_CONSUMER,
        }),
        'lab.queue.seq': item.seq,
        'lab.queue.delivery_count': deliveryCount,
        'lab.queue.waited_in_stream_ms': waitedInStreamMs,
      },
    },
    traced.context,
  );
  span.addEvent('delivered', { 'lab.queue.waited_in_stream_ms': waitedInStreamMs, 'lab.queue.delivery_count': deliveryCount }, deliveredAt);
  const processContext = trace.setSpan(traced.context, span);
  let pending: Promise<void> | undefined;
  try {
    pending = context.with(processContext, () => handle(processContext));
  } catch (error) {
    failSpan(span, error);
    span.end();
    throw error;
  }
  if (!pending) {
    span.end();
    return undefined;
  }
  return pending.then(
    () => span.end(),
    (error: unknown) => {
      failSpan(span, error);
      span.end();
      throw error;
    },
  );
}
