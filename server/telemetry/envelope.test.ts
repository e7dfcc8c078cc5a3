import { gzipSync } from 'node:zlib'
import { decodeBody, dsnKey, EnvelopeError, parseEnvelope } from './envelope'

const encode = (text: string) => new TextEncoder().encode(text)

describe(parseEnvelope, () => {
  it('reads items that end at a newline, as the browser SDK sends them', () => {
    const envelope = parseEnvelope(
      encode(
        '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","dsn":"http://key@host/1"}\n' +
          '{"type":"event"}\n{"message":"hello"}\n' +
          '{"type":"client_report"}\n{"discarded_events":[]}\n',
      ),
    )
    expect(envelope.header.event_id).toBe('9ec79c33ec9942ab8353589fcb2e04dc')
    expect(envelope.items.map((item) => item.header.type)).toEqual(['event', 'client_report'])
    expect(new TextDecoder().decode(envelope.items[0]?.payload)).toBe('{"message":"hello"}')
  })

  it('honours length in bytes, with binary and multi-byte payloads', () => {
    const text = '{"m":"ünïcödé\\n"}'
    const bytes = encode(text)
    const binary = new Uint8Array([0, 10, 255, 10, 1])
    const parts = [
      encode('{}\n'),
      encode(`{"type":"event","length":${bytes.length}}\n`),
      bytes,
      encode('\n{"type":"attachment","length":5}\n'),
      binary,
    ]
    const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
    let at = 0
    for (const part of parts) {
      body.set(part, at)
      at += part.length
    }
    const envelope = parseEnvelope(body)
    expect(new TextDecoder().decode(envelope.items[0]?.payload)).toBe(text)
    expect([...(envelope.items[1]?.payload ?? [])]).toEqual([...binary])
  })

  it('rejects a header that is not JSON, a bad length and a payload shorter than its length', () => {
    expect(() => parseEnvelope(encode('not json\n'))).toThrow(EnvelopeError)
    expect(() => parseEnvelope(encode('{}\n{"type":"event","length":-1}\n{}'))).toThrow(
      /invalid length/,
    )
    expect(() => parseEnvelope(encode('{}\n{"type":"event","length":99}\n{}'))).toThrow(
      /shorter than its length/,
    )
    expect(() => parseEnvelope(encode('{}\n[1,2]\n{}'))).toThrow(/item 0 header/)
  })

  it('refuses more items than allowed', () => {
    const body = '{}\n' + '{"type":"event"}\n{}\n'.repeat(5)
    expect(() => parseEnvelope(encode(body), 4)).toThrow(/More than 4 items/)
  })
})

describe(decodeBody, () => {
  it('inflates gzip (by header or by magic bytes) and passes plain bodies through', () => {
    const plain = encode('{}\n{"type":"event"}\n{}\n')
    expect(decodeBody(plain, undefined, 1000)).toBe(plain)
    expect([...decodeBody(gzipSync(plain), 'gzip', 1000)]).toEqual([...plain])
    expect([...decodeBody(gzipSync(plain), undefined, 1000)]).toEqual([...plain])
  })

  it('stops a gzip bomb at the limit', () => {
    const bomb = gzipSync(new Uint8Array(50 * 1024 * 1024))
    expect(bomb.length).toBeLessThan(100 * 1024)
    expect(() => decodeBody(bomb, 'gzip', 1024 * 1024)).toThrow(/inflates past 1048576 bytes/)
  })

  it('rejects a body that claims gzip but is not', () => {
    expect(() => decodeBody(encode('nope'), 'gzip', 1000)).toThrow(/not valid gzip/)
  })
})

describe(dsnKey, () => {
  it('reads the public key of a DSN', () => {
    expect(dsnKey('http://abc123@localhost:3000/1')).toBe('abc123')
    expect(dsnKey('http://localhost/1')).toBeUndefined()
    expect(dsnKey('::')).toBeUndefined()
    expect(dsnKey(42)).toBeUndefined()
  })
})
