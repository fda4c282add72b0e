import { JetStreamApiError } from '@nats-io/jetstream';
import { errors } from '@nats-io/transport-node';

/** JetStream's own "try again": no quorum (e.g. two of three nodes down), a leader being elected. */
const JETSTREAM_UNAVAILABLE_STATUS = 503;

function reasonOf(error: unknown): string | undefined {
  if (error instanceof errors.NoRespondersError) return `nothing answered on ${error.subject}`;
  if (error instanceof errors.TimeoutError) return 'NATS did not answer in time';
  if (error instanceof errors.ClosedConnectionError || error instanceof errors.DrainingConnectionError)
    return 'the NATS connection is closing';
  if (error instanceof errors.ConnectionError) return 'NATS is not reachable';
  if (error instanceof JetStreamApiError && error.status === JETSTREAM_UNAVAILABLE_STATUS)
    return `JetStream is unavailable (${error.message})`;
  return undefined;
}

/**
 * Why an error means "NATS or JetStream cannot serve this now, try again
 * soon" (no server reachable, no answer, no JetStream quorum), or undefined
 * for any other error. Looks through `cause`, as nats.js wraps timeouts and
 * missing responders in a RequestError.
 */
export function natsUnavailableReason(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const reason = reasonOf(current);
    if (reason) return reason;
  }
  return undefined;
}
