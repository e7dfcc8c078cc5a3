import { describe, expect, it } from 'vitest'
import { isGatewayRequest, isRscRequest, shellPath } from './routes'
import { rewrapForWorker } from './worker-scripts'

const url = (path: string) => new URL(path, 'https://sightline.example')

describe('service worker routes', () => {
  it('never caches the gateway', () => {
    expect(isGatewayRequest(url('/api/sync/pull'))).toBe(true)
    expect(isGatewayRequest(url('/api'))).toBe(true)
    expect(isGatewayRequest(url('/metrics'))).toBe(true)
    expect(isGatewayRequest(url('/apis-guide'))).toBe(false)
    expect(isGatewayRequest(url('/library'))).toBe(false)
  })

  it('tells Next router payload requests from page loads', () => {
    const rsc = new Request(url('/settings'), { headers: { RSC: '1' } })
    expect(isRscRequest(rsc)).toBe(true)
    expect(isRscRequest(new Request(url('/settings?_rsc=1x2y')))).toBe(true)
    expect(isRscRequest(new Request(url('/settings')))).toBe(false)
  })

  it('answers a page load with the stored page of its path', () => {
    expect(shellPath(url('/library?import=1'))).toBe('/library')
    expect(shellPath(url('/settings/'))).toBe('/settings')
    expect(shellPath(url('/'))).toBe('/')
  })
})

describe('worker scripts from the cache', () => {
  it('lose their URL but keep status, headers and body', async () => {
    const cached = new Response('self.onmessage = () => {}', {
      status: 200,
      headers: {
        'Content-Type': 'text/javascript',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
    })
    Object.defineProperty(cached, 'url', { value: 'https://sightline.example/_next/static/w.js' })
    const answer = rewrapForWorker(cached)
    expect(answer.url).toBe('')
    expect(answer.status).toBe(200)
    expect(answer.headers.get('Cross-Origin-Embedder-Policy')).toBe('require-corp')
    expect(await answer.text()).toBe('self.onmessage = () => {}')
  })

  it('pass errors through', () => {
    const failed = Response.error()
    expect(rewrapForWorker(failed)).toBe(failed)
  })
})
