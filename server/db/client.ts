import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import path from 'node:path'
import {
  createClient,
  type Client,
  type InArgs,
  type InStatement,
  type ResultSet,
} from '@libsql/client'
import { DatabaseBusyError } from '../errors'

/** Where the database lives and how long a write waits for its lock. */
export interface DbOptions {
  url: string
  authToken?: string
  busyTimeoutMs?: number
}

/**
 * The gateway's only way to the database. It wraps `@libsql/client` with the rules that keep
 * acknowledged writes durable on this stack (../shared/STACK-NOTES.md, libsql-client-ts#352):
 * one connection (`concurrency: 1`), multi-statement writes only as one `batch(…, 'write')`, no
 * interactive transactions, and a connection that once hit `SQLITE_BUSY` is closed and replaced,
 * because such a connection can later acknowledge writes that never commit.
 */
export class Db {
  private client: Client
  private closed = false
  /** Called after every database call with how long it took (metrics). */
  observe?: (op: 'execute' | 'batch' | 'script', seconds: number, outcome: DbOutcome) => void
  private readonly release: () => void

  private constructor(
    private readonly options: DbOptions,
    release: () => void,
  ) {
    this.client = connect(options)
    this.release = release
  }

  /**
   * Opens the database. A `file:` database is locked to this process (a second gateway on the
   * same file is refused) and switched to WAL.
   */
  static async open(options: DbOptions): Promise<Db> {
    const file = localPath(options.url)
    if (file) mkdirSync(path.dirname(file), { recursive: true })
    const db = new Db(options, file ? lockWriter(file) : () => {})
    if (file) {
      try {
        await db.client.execute('PRAGMA journal_mode = WAL')
        // The WAL does not shrink by itself; cap what stays on disk after a checkpoint.
        await db.client.execute('PRAGMA journal_size_limit = 67108864')
      } catch (error) {
        db.close()
        throw error
      }
    }
    return db
  }

  get isLocal(): boolean {
    return localPath(this.options.url) !== undefined
  }

  async execute(sql: string, args?: InArgs): Promise<ResultSet> {
    return this.guard('execute', () =>
      this.client.execute(args === undefined ? sql : { sql, args }),
    )
  }

  /** Runs every statement in one transaction: all of them commit, or none. */
  async batch(statements: InStatement[], mode: 'write' | 'read' = 'write'): Promise<ResultSet[]> {
    if (statements.length === 0) return []
    return this.guard('batch', () => this.client.batch(statements, mode))
  }

  /** Runs a script of several statements (migrations only: not atomic unless it says so). */
  async executeMultiple(sql: string): Promise<void> {
    await this.guard('script', () => this.client.executeMultiple(sql))
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.client.close()
    this.release()
  }

  private async guard<T>(op: 'execute' | 'batch' | 'script', run: () => Promise<T>): Promise<T> {
    const started = performance.now()
    let outcome: DbOutcome = 'ok'
    try {
      return await run()
    } catch (error) {
      outcome = isBusy(error) ? 'busy' : 'error'
      if (isBusy(error)) {
        const stale = this.client
        this.client = connect(this.options)
        stale.close()
        throw new DatabaseBusyError('The database is busy; try again shortly', { cause: error })
      }
      throw error
    } finally {
      this.observe?.(op, (performance.now() - started) / 1000, outcome)
    }
  }
}

export type DbOutcome = 'ok' | 'busy' | 'error'

function connect({ url, authToken, busyTimeoutMs = 5000 }: DbOptions): Client {
  return createClient({ url, authToken, concurrency: 1, timeout: busyTimeoutMs })
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown; cause?: { code?: unknown } } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY')
}

/** The file behind a `file:` URL; undefined for `:memory:` and remote URLs. */
export function localPath(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined
  const file = url.slice('file:'.length).split('?')[0] ?? ''
  if (file === '' || file === ':memory:') return undefined
  return path.resolve(file)
}

/**
 * Makes this process the only writer of `file`: a second gateway on the same database file would
 * bring back the lost-writes hazard. A lock left by a process that is gone is taken over.
 */
const lockedHere = new Set<string>()

function lockWriter(file: string): () => void {
  const lock = `${file}.writer.lock`
  if (lockedHere.has(lock)) throw new Error(`${file} is already open in this process`)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      lockedHere.add(lock)
      return () => {
        lockedHere.delete(lock)
        try {
          unlinkSync(lock)
        } catch {
          // Already gone (removed by hand); nothing to release.
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      // Our own pid in a lock we do not hold is a leftover of an earlier process (pid reuse).
      const owner = Number(readFileSync(lock, 'utf8'))
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(
          `Another gateway process (pid ${owner}) writes ${file}. Exactly one process may write a ` +
            'database file; run more instances against a libSQL server instead (see README).',
        )
      }
      unlinkSync(lock)
    }
  }
  throw new Error(`Could not lock ${file}`)
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
