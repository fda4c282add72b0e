/**
 * The header that carries a request's id: over HTTP (libs/http sets and
 * echoes it) and on the NATS messages a request leads to (libs/queue), so the
 * log lines of every service it touched can be found under one id.
 */
export const REQUEST_ID_HEADER = 'x-request-id';
