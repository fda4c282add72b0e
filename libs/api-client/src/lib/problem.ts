import type { components } from '../generated/openapi.js';

export type InvalidParam = components['schemas']['InvalidParam'];

/**
 * A call the coordinator answered with an error status. Its problem+json
 * body (RFC 9457) is unpacked into fields; a body that is not one (a proxy's
 * page, say) still gives the status, and its text as `body`.
 */
export class CoordinatorProblem extends Error {
  override readonly name = 'CoordinatorProblem';
  readonly title: string;
  readonly detail: string | undefined;
  readonly invalidParams: InvalidParam[];
  /** Seconds from Retry-After (a 429 or a 503), when the answer had one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    /** What was asked, as "POST /simulations". */
    readonly request: string,
    readonly status: number,
    /** The whole body: the problem object, or the text when it was not JSON. */
    readonly body: unknown,
    retryAfter: string | null = null,
  ) {
    const fields = problemFields(body);
    const title = fields.title ?? `HTTP ${status}`;
    super(`${request}: ${status} ${title}${fields.detail ? `: ${fields.detail}` : ''}`);
    this.title = title;
    this.detail = fields.detail;
    this.invalidParams = fields.invalidParams;
    const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
    this.retryAfterSeconds = Number.isFinite(seconds) ? seconds : undefined;
  }

  /** The detail when there is one, else "HTTP <status>": what a person is shown. */
  get reason(): string {
    return this.detail ?? `HTTP ${this.status}`;
  }

  /** True when this names the field: in invalidParams (or a field below it), as an unknown key, or first in its detail. */
  names(field: string): boolean {
    const named = (name: string) => name === field || name.startsWith(`${field}.`) || name.startsWith(`${field}[`);
    const quoted = (text: string | undefined) => text !== undefined && text.includes(`"${field}"`);
    const detail = this.detail;
    return (
      this.invalidParams.some((param) => named(param.name) || quoted(param.reason)) ||
      (detail !== undefined && (detail.startsWith(`${field}:`) || quoted(detail)))
    );
  }

  /** The reasons given for one field. */
  reasonsFor(field: string): string[] {
    return this.invalidParams.filter((param) => param.name === field).map((param) => param.reason);
  }
}

/** The coordinator could not be reached at all: refused, reset, no such host. */
export class CoordinatorUnreachable extends Error {
  override readonly name = 'CoordinatorUnreachable';

  constructor(
    readonly request: string,
    readonly url: string,
    cause: unknown,
  ) {
    super(`${request}: no answer from ${url} (${causeText(cause)})`, { cause });
  }
}

function problemFields(body: unknown): { title?: string; detail?: string; invalidParams: InvalidParam[] } {
  if (!body || typeof body !== 'object') return { invalidParams: [] };
  const { title, detail, invalidParams } = body as Record<string, unknown>;
  const params = Array.isArray(invalidParams) ? invalidParams.filter(isInvalidParam) : [];
  return {
    ...(typeof title === 'string' ? { title } : {}),
    ...(typeof detail === 'string' ? { detail } : {}),
    invalidParams: params,
  };
}

function isInvalidParam(value: unknown): value is InvalidParam {
  if (!value || typeof value !== 'object') return false;
  const { name, reason } = value as Record<string, unknown>;
  return typeof name === 'string' && typeof reason === 'string';
}

// fetch says only "fetch failed"; the reason (ECONNREFUSED 127.0.0.1:3000) is in its cause.
function causeText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const inner = error.cause instanceof Error ? error.cause.message : undefined;
  return inner && inner !== error.message ? `${error.message}: ${inner}` : error.message;
}
