import { hash, verify } from '@node-rs/argon2'

// OWASP Password Storage Cheat Sheet (2025): argon2id, m = 19 MiB, t = 2, p = 1. The library's
// default algorithm is argon2id (its `Algorithm` is a const enum, which isolated modules cannot use).
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export const minPasswordLength = 10
// Long enough for passphrases and generated passwords; short enough that hashing stays cheap.
export const maxPasswordLength = 256

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password)
  } catch {
    // A malformed stored hash cannot match any password.
    return false
  }
}

let dummy: Promise<string> | undefined

/**
 * Spends the same time as a real check, so that a sign-in for an unknown email answers no faster
 * than one with a wrong password.
 */
export async function verifyNobody(password: string): Promise<false> {
  dummy ??= hashPassword('not a password anyone has')
  await verifyPassword(await dummy, password)
  return false
}
