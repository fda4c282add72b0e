/** A run id: a UUID, as the coordinator makes them and a caller may give one for a queue run. */
const RUN_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The run id a path segment names, in the lower case runs are kept under, or
 * undefined if it is no run id. UUIDs are case-insensitive, so either case finds the run.
 */
export function parseRunId(raw: string): string | undefined {
  return RUN_ID_PATTERN.test(raw) ? raw.toLowerCase() : undefined;
}
