import { labTracer, traceCarrier, type TraceCarrier } from '@concurrency-lab/tracing';
import { context, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { DownloadTask } from './tasks.js';

/** Where a task ran, as its start and finish messages say. */
export interface TaskWhere {
  pid: number;
  threadId: number;
  host?: string;
}

/**
 * The spans of one mode's tasks, children of the mode's span: one per task,
 * from when the coordinator hands it out (a process still to start, a
 * downloader still to take it) to its finish, with its start as an event, so
 * start-up and queueing show as the gap before it. A process, thread or
 * downloader gets the task span's context to log under; with tracing off
 * nothing here does any work.
 */
export class TaskSpans {
  private readonly spans = new Map<number, Span>();
  private readonly recording: boolean;

  /** Under the span active now (the mode's). */
  constructor(private readonly parent: Context = context.active()) {
    this.recording = trace.getSpan(parent)?.isRecording() ?? false;
  }

  /** The task span's context, started now if it has not been; undefined while tracing is off. */
  contextFor(index: number, task: DownloadTask, startTime?: number): Context | undefined {
    if (!this.recording) return undefined;
    let span = this.spans.get(index);
    if (!span) {
      const attributes: Attributes = { 'lab.task.index': index, 'lab.task.name': task.name, 'lab.task.planned_ms': task.durationMs };
      span = labTracer().startSpan('download', { attributes, ...(startTime !== undefined && { startTime }) }, this.parent);
      this.spans.set(index, span);
    }
    return trace.setSpan(this.parent, span);
  }

  /** The task span's context for a process or thread to log under (over IPC or workerData); undefined while tracing is off. */
  carrierFor(index: number, task: DownloadTask): TraceCarrier | undefined {
    const taskContext = this.contextFor(index, task);
    return taskContext && traceCarrier(taskContext);
  }

  started(index: number, task: DownloadTask, where: TaskWhere & { host: string }, at: number): void {
    if (!this.recording) return;
    const span = trace.getSpan(this.contextFor(index, task, at) as Context) as Span;
    span.setAttributes({ 'process.pid': where.pid, 'thread.id': where.threadId, 'host.name': where.host });
    span.addEvent('task started', { 'process.pid': where.pid }, at);
  }

  finished(index: number, at: number): void {
    const span = this.spans.get(index);
    if (!span) return;
    this.spans.delete(index);
    span.end(at);
  }

  /** Ends the spans of tasks that never finished (the run failed or was cancelled), marked as errors. */
  endUnfinished(reason: unknown): void {
    const message = reason instanceof Error ? reason.message : String(reason);
    for (const span of this.spans.values()) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: `not finished: ${message}` });
      span.end();
    }
    this.spans.clear();
  }
}
