import { readBatchesFilter } from '@concurrency-lab/queue';
import { failSpan, labTracer, messagingAttributes, messagingSpanName } from '@concurrency-lab/tracing';
import { context, SpanKind, trace, type Context, type Span } from '@opentelemetry/api';

/**
 * The PRODUCER span of one read report that names traced reads: a child of
 * the first one's process span (so the report, and the coordinator's
 * consumption of it, are in the run's trace), linked to the others'.
 */
export class ReportSpan {
  private readonly span: Span;
  /** The span's context, to inject into the report's headers. */
  readonly context: Context;

  constructor(runId: string, subject: string, batchCount: number, traced: Context[]) {
    const [parent, ...others] = traced as [Context, ...Context[]];
    const links = others.flatMap((other) => {
      const linked = trace.getSpanContext(other);
      return linked ? [{ context: linked }] : [];
    });
    this.span = labTracer().startSpan(
      messagingSpanName({ operationName: 'publish', destination: readBatchesFilter(runId) }),
      {
        kind: SpanKind.PRODUCER,
        attributes: messagingAttributes({
          operation: 'send',
          operationName: 'publish',
          destination: subject,
          messageId: subject,
          batchCount,
        }),
        links,
      },
      parent,
    );
    this.context = trace.setSpan(parent, this.span);
  }

  /** Runs `work` with the span active: log lines inside carry its trace id. */
  within(work: () => void): void {
    context.with(this.context, work);
  }

  failed(error: unknown): void {
    failSpan(this.span, error);
  }

  end(): void {
    this.span.end();
  }
}
