import type { Attributes } from '@opentelemetry/api';

/** The OpenTelemetry messaging operation types (semantic conventions, `messaging.operation.type`). */
export type MessagingOperation = 'create' | 'send' | 'receive' | 'process' | 'settle';

export interface MessagingSpanFacts {
  operation: MessagingOperation;
  /** The operation's own name, e.g. "publish", "fetch", "ack". */
  operationName: string;
  /** The subject (or stream) the message goes to or comes from. */
  destination: string;
  messageId?: string;
  /** The durable consumer or queue group that shares the messages. */
  consumerGroup?: string;
  /** How many messages one span stands for, when it stands for a batch. */
  batchCount?: number;
  bodySize?: number;
}

/**
 * Span attributes for a NATS operation by the messaging semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/messaging/). The conventions
 * have no NATS system name of their own; "nats" is what NATS users put there.
 */
export function messagingAttributes(facts: MessagingSpanFacts): Attributes {
  const attributes: Attributes = {
    'messaging.system': 'nats',
    'messaging.operation.type': facts.operation,
    'messaging.operation.name': facts.operationName,
    'messaging.destination.name': facts.destination,
  };
  if (facts.messageId !== undefined) attributes['messaging.message.id'] = facts.messageId;
  if (facts.consumerGroup !== undefined) attributes['messaging.consumer.group.name'] = facts.consumerGroup;
  if (facts.batchCount !== undefined) attributes['messaging.batch.message_count'] = facts.batchCount;
  if (facts.bodySize !== undefined) attributes['messaging.message.body.size'] = facts.bodySize;
  return attributes;
}

/** The span name the conventions give a messaging span: "{operation name} {destination}". */
export function messagingSpanName(facts: Pick<MessagingSpanFacts, 'operationName' | 'destination'>): string {
  return `${facts.operationName} ${facts.destination}`;
}
