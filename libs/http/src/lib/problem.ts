import type { Response } from 'express';

/** One field the caller got wrong, as RFC 9457's "invalid-params" extension lists it. */
export interface InvalidParam {
  name: string;
  reason: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * An error that knows its HTTP answer. Handlers throw it; the error handler
 * turns it into an application/problem+json response (RFC 9457).
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }

  static badRequest(detail: string, invalidParams: InvalidParam[] = []): HttpProblem {
    return new HttpProblem(400, 'Invalid request', detail, invalidParams.length ? { invalidParams } : {});
  }

  toJSON(instance?: string): ProblemDetails {
    return {
      type: 'about:blank',
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...this.extensions,
    };
  }
}

export function sendProblem(response: Response, problem: HttpProblem, instance?: string): void {
  for (const [name, value] of Object.entries(problem.headers)) response.setHeader(name, value);
  response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem.toJSON(instance)));
}
