import pino, { type Logger as PinoLogger } from 'pino'

export type Logger = PinoLogger

/** JSON lines on stdout at `level` (`silent` in tests that check logs themselves). */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'sightline-gateway' } })
}
