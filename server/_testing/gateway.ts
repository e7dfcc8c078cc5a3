import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { loadConfig, type Config } from '../env'
import { startGateway, type Gateway } from '../gateway'
import { createLogger } from '../lib/log'

/** A gateway on a real libSQL file in a fresh temp folder; `close()` removes the folder. */
export interface TestGateway extends Gateway {
  config: Config
  dir: string
  /** A new cookie-keeping client (one browser). */
  client(): TestClient
}

/** Starts a gateway for a test; `env` overrides the gateway's environment variables. */
export async function createTestGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sightline-gateway-'))
  const config = loadConfig({ SIGHTLINE_DATA_DIR: dir, ...env })
  const gateway = await startGateway(config, createLogger('silent'))
  return {
    ...gateway,
    config,
    dir,
    client: () => new TestClient((input, init) => gateway.app.request(input, init)),
    close() {
      gateway.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

type Fetch = (input: string, init?: RequestInit) => Response | Promise<Response>

/**
 * Calls the gateway like a browser tab would: keeps the session cookie and sends the Origin header
 * of the gateway's own origin on writes. Works with `app.request` or a real server's `fetch`.
 */
export class TestClient {
  cookie = ''

  constructor(
    private readonly fetcher: Fetch,
    private readonly origin = 'http://localhost',
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const init: RequestInit = { method, headers: { ...headers } }
    const h = init.headers as Record<string, string>
    if (this.cookie) h.cookie = this.cookie
    if (method !== 'GET' && method !== 'HEAD') h.origin ??= this.origin
    if (body instanceof Uint8Array || typeof body === 'string') {
      init.body = body as BodyInit
      h['content-type'] ??= 'application/octet-stream'
    } else if (body !== undefined) {
      init.body = JSON.stringify(body)
      h['content-type'] ??= 'application/json'
    }
    const response = await this.fetcher(`${this.origin}${path}`, init)
    const set = response.headers.get('set-cookie')
    if (set) {
      const [pair] = set.split(';')
      this.cookie = pair?.endsWith('=') ? '' : (pair ?? '')
    }
    return response
  }

  get = (path: string) => this.request('GET', path)
  post = (path: string, body?: unknown) => this.request('POST', path, body)
  put = (path: string, body?: unknown) => this.request('PUT', path, body)
  patch = (path: string, body?: unknown) => this.request('PATCH', path, body)
  delete = (path: string, body?: unknown) => this.request('DELETE', path, body)

  async signUp(email: string, password = 'correct horse battery') {
    const response = await this.post('/api/auth/sign-up', { email, password })
    if (response.status !== 201) {
      throw new Error(`sign-up ${response.status}: ${await response.text()}`)
    }
    return ((await response.json()) as { user: { id: string; role: string } }).user
  }
}
