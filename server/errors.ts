import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** A field that failed validation: where it is and what is wrong with it. */
export interface FieldError {
  path: string
  message: string
}

/**
 * An expected failure with its HTTP status, answered as `application/problem+json` (RFC 9457).
 * `type` is a short slug; the body's `type` is `/api/problems/<slug>`.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError'

  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: string,
    message: string,
    readonly extra: { errors?: FieldError[]; retryAfterS?: number } = {},
  ) {
    super(message)
  }
}

export const badRequest = (message: string, errors?: FieldError[]) =>
  new ApiError(400, 'validation', message, { errors })
export const unauthorized = (message = 'Sign in to continue') =>
  new ApiError(401, 'unauthenticated', message)
export const forbidden = (message = 'You may not do that') =>
  new ApiError(403, 'forbidden', message)
export const notFound = (what = 'Not found') => new ApiError(404, 'not-found', what)
export const conflict = (message: string) => new ApiError(409, 'conflict', message)

/** The database lock could not be had in time; the request may be retried. */
export class DatabaseBusyError extends Error {
  override readonly name = 'DatabaseBusyError'
}

/** The problem document every error answer carries. */
export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  requestId: string
  errors?: FieldError[]
}
