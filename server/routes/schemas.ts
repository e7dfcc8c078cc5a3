import { z } from '@hono/zod-openapi'
import { maxPasswordLength, minPasswordLength } from '../auth/password'

export const sha256 = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'A SHA-256 as 64 lowercase hex digits')
  .openapi({ example: 'a'.repeat(64) })

export const uuid = z.string().uuid()

export const problem = z
  .object({
    type: z.string().openapi({ example: '/api/problems/validation' }),
    title: z.string().openapi({ example: 'Bad Request' }),
    status: z.number().int(),
    detail: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem')

/** Shared error answers for `responses`; each route adds the ones that apply. */
export const problemResponse = (description: string) => ({
  content: { 'application/problem+json': { schema: problem } },
  description,
})

export const user = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(['user', 'admin']),
    disabled: z.boolean(),
    createdAt: z.number().int().openapi({ description: 'Epoch ms' }),
  })
  .openapi('User')

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .email('Enter an email address like name@example.com')

export const password = z
  .string()
  .min(minPasswordLength, `Use at least ${minPasswordLength} characters`)
  .max(maxPasswordLength, `Use at most ${maxPasswordLength} characters`)

export const credentials = z.object({ email, password }).openapi('Credentials')

export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  body: { content: { 'application/json': { schema } }, required: true, description },
})

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
})
