import type { Response } from 'express';
import { z } from 'zod';

/** One field the caller got wrong, as RFC 9457's "invalid-params" extension lists it. */
export const invalidParamSchema = z
  .strictObject({
    name: z.string().meta({ description: 'The field, as a path: count, tasks[0].durationMs; body for the body as a whole.' }),
    reason: z.string(),
  })
  .meta({ id: 'InvalidParam' });
export type InvalidParam = z.infer<typeof invalidParamSchema>;

/** Every error answer (RFC 9457), with the extensions a route adds (runId, status, failure...). */
export const problemDetailsSchema = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional().meta({ description: 'What went wrong; for a bad request, "field: reason" of the first bad field.' }),
    instance: z.string().optional().meta({ description: 'The path the request asked for.' }),
    invalidParams: z.array(invalidParamSchema).optional().meta({ description: 'Every bad field of a 400.' }),
  })
  .meta({ id: 'Problem', description: 'An error, as application/problem+json (RFC 9457).' });
export type ProblemDetails = z.infer<typeof problemDetailsSchema>;

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
    // An extension cannot overwrite a standard member (a numeric status above all).
    const { type: _type, title: _title, status: _status, detail: _detail, instance: _instance, ...extensions } = this.extensions;
    return {
      type: 'about:blank',
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...extensions,
    };
  }
}

export function sendProblem(response: Response, problem: HttpProblem, instance?: string): void {
  for (const [name, value] of Object.entries(problem.headers)) response.setHeader(name, value);
  response
    .status(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem.toJSON(instance)));
}
