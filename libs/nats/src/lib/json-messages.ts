import type { z } from 'zod';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A message body: the value as JSON. */
export function encodeMessage(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Parses a message body against its schema; throws on bad JSON or a bad shape. */
export function decodeMessage<Schema extends z.ZodType>(schema: Schema, data: Uint8Array): z.infer<Schema> {
  return schema.parse(JSON.parse(decoder.decode(data)));
}
