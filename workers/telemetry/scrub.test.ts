import type { ErrorEvent } from '@sentry/browser'
import { maxTextLength, scrub, scrubBreadcrumb, scrubText, scrubUrl } from './scrub'

describe(scrubText, () => {
  it('replaces image and document file names', () => {
    expect(scrubText('Could not decode IMG_2041.HEIC or holiday-photo.jpg')).toBe(
      'Could not decode <file> or <file>',
    )
    expect(scrubText('Export of report.final.pdf failed')).toBe('Export of <file> failed')
  })

  it('keeps model and code file names', () => {
    expect(scrubText('Could not create a session for nanodet-m-416.onnx.')).toBe(
      'Could not create a session for nanodet-m-416.onnx.',
    )
  })

  it('replaces quoted text of every quote style', () => {
    expect(scrubText('Unexpected token "Hello world" in `my text` and “this” or ‘that’')).toBe(
      'Unexpected token "<text>" in `<text>` and “<text>” or ‘<text>’',
    )
    expect(scrubText("Tag 'beach holiday' is too long")).toBe("Tag '<text>' is too long")
  })

  it('leaves apostrophes inside words alone', () => {
    expect(scrubText("The model's file couldn't load")).toBe("The model's file couldn't load")
  })

  it('replaces blob:, data: and file: URLs', () => {
    expect(
      scrubText(
        'Failed to load blob:http://localhost:3000/2f1e0c7a-9d7e-4a57-9c1c-1f0e2a3b4c5d as data:image/png;base64,iVBORw0KGgo= from file:///home/ann/Pictures/cat.png',
      ),
    ).toBe('Failed to load <blob-url> as <data-url> from <file-url>')
  })

  it('strips queries and ids from web URLs', () => {
    expect(
      scrubText(
        'GET https://example.com/api/blobs/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08?name=cat.jpg failed',
      ),
    ).toBe('GET https://example.com/api/blobs/:id failed')
  })

  it('replaces e-mail addresses, uuids, long numbers and tokens', () => {
    expect(
      scrubText(
        'ann@example.org owns 3f2b8c1e-0d4a-4c7b-9e2f-5a6b7c8d9e0f, invoice 12345678, key c2lnaHRsaW5lIHRlc3QgdG9rZW4gdmFsdWU',
      ),
    ).toBe('<email> owns <id>, invoice <n>, key <token>')
  })

  it('keeps short numbers and code names', () => {
    expect(scrubText('Worker stopped (TypeError at 12:7), status 503')).toBe(
      'Worker stopped (TypeError at 12:7), status 503',
    )
  })

  it('cuts long text', () => {
    const scrubbed = scrubText('word '.repeat(100))
    expect(scrubbed.length).toBeLessThanOrEqual(maxTextLength + '…<truncated>'.length)
    expect(scrubbed.endsWith('…<truncated>')).toBe(true)
  })
})

describe(scrubUrl, () => {
  it('drops the query, the fragment and credentials', () => {
    expect(scrubUrl('https://ann:secret@example.com/library?image=abc#top')).toBe(
      'https://example.com/library',
    )
  })

  it('replaces id-like path segments with :id', () => {
    expect(
      scrubUrl('http://localhost:3000/api/records/12345/3f2b8c1e-0d4a-4c7b-9e2f-5a6b7c8d9e0f'),
    ).toBe('http://localhost:3000/api/records/:id/:id')
    expect(scrubUrl('/api/blobs/9f86d081884c7d659a2feaa0/chunks/7')).toBe(
      '/api/blobs/:id/chunks/:id',
    )
    expect(scrubUrl('/s/aGVsbG8gd29ybGQgMTIzNDU2')).toBe('/s/:id')
    expect(scrubUrl('/tags/caf%C3%A9')).toBe('/tags/:id')
  })

  it('replaces file names in the path with :file', () => {
    expect(scrubUrl('/uploads/beach.jpg')).toBe('/uploads/:file')
  })

  it('keeps route words and bundle files', () => {
    expect(scrubUrl('/_next/static/chunks/app-settings.js?v=3')).toBe(
      '/_next/static/chunks/app-settings.js',
    )
    expect(scrubUrl('https://example.com/settings')).toBe('https://example.com/settings')
  })

  it('hides blob: and data: URLs entirely', () => {
    expect(scrubUrl('blob:https://example.com/2f1e0c7a-9d7e-4a57-9c1c-1f0e2a3b4c5d')).toBe(
      '<blob-url>',
    )
    expect(scrubUrl('data:image/jpeg;base64,/9j/4AAQ')).toBe('<data-url>')
  })
})

describe(scrubBreadcrumb, () => {
  it('drops console breadcrumbs', () => {
    expect(scrubBreadcrumb({ category: 'console', message: 'OCR: Dear Ann' })).toBeNull()
  })

  it('scrubs fetch URLs and keeps method and status only', () => {
    expect(
      scrubBreadcrumb({
        category: 'fetch',
        type: 'http',
        data: {
          method: 'PUT',
          url: '/api/blobs/9f86d081884c7d659a2feaa0?name=x',
          status_code: 201,
          'url.query': 'name=x',
          body: { text: 'secret' },
        },
      }),
    ).toEqual({
      category: 'fetch',
      type: 'http',
      data: { method: 'PUT', url: '/api/blobs/:id', status_code: 201 },
    })
  })

  it('scrubs navigation URLs and DOM selectors', () => {
    expect(
      scrubBreadcrumb({
        category: 'navigation',
        data: { from: '/library?image=42', to: '/library/8a1b2c3d4e5f60718293' },
      })?.data,
    ).toEqual({ from: '/library', to: '/library/:id' })
    expect(
      scrubBreadcrumb({
        category: 'ui.click',
        message: 'button.mantine-Button[aria-label="Open dog.jpg"]',
      })?.message,
    ).toBe('button.mantine-Button[aria-label="<text>"]')
  })
})

describe(scrub, () => {
  const event: ErrorEvent = {
    type: undefined,
    event_id: 'e1',
    level: 'error',
    platform: 'javascript',
    release: 'sightline@0.1.0',
    environment: 'production',
    message: 'Could not read "my secret note"',
    exception: {
      values: [
        {
          type: 'UnsupportedInputError',
          value: 'Cannot decode beach.heic (4032×3024)',
          mechanism: { type: 'onerror', handled: false, data: { note: 'x' } },
          stacktrace: {
            frames: [
              {
                filename: 'http://localhost:3000/_next/static/chunks/abc.js?dpl=1#params=%7B%7D',
                function: 'decode',
                lineno: 1,
                colno: 200,
                in_app: true,
                vars: { name: 'beach.heic' },
                context_line: 'const text = "hello"',
              },
              { filename: 'blob:http://localhost:3000/2f1e0c7a-9d7e-4a57-9c1c-1f0e2a3b4c5d' },
            ],
          },
        },
      ],
    },
    breadcrumbs: [
      { category: 'console', message: 'recognised: Dear Ann' },
      { category: 'navigation', data: { from: '/', to: '/library?image=7' } },
    ],
    request: {
      url: 'http://localhost:3000/library?image=abc',
      headers: { 'User-Agent': 'Chromium', Referer: 'http://localhost:3000/?q=ann' },
      cookies: { session: 'x' },
      query_string: 'image=abc',
    },
    user: { id: 'install-1', email: 'ann@example.org', ip_address: '10.0.0.1', username: 'ann' },
    extra: { ocr: 'Dear Ann' },
    tags: { context: 'page' },
    contexts: {
      browser: { name: 'Chrome', version: '156' },
      os: { name: 'Linux' },
      culture: { locale: 'de-DE', timezone: 'Europe/Berlin' },
      worker: { filename: 'http://localhost:3000/w.js' },
      trace: { trace_id: 'a', span_id: 'b' },
      image: { name: 'beach.heic' },
    },
    server_name: 'laptop-of-ann',
    modules: { x: '1' },
  }

  const scrubbed = scrub(event)

  it('scrubs exception values and the message', () => {
    expect(scrubbed.exception?.values?.[0]?.value).toBe('Cannot decode <file> (4032×3024)')
    expect(scrubbed.exception?.values?.[0]?.type).toBe('UnsupportedInputError')
    expect(scrubbed.message).toBe('Could not read "<text>"')
  })

  it('keeps stack frames without query, fragment, variables or source lines', () => {
    expect(scrubbed.exception?.values?.[0]?.stacktrace?.frames).toEqual([
      {
        filename: 'http://localhost:3000/_next/static/chunks/abc.js',
        function: 'decode',
        lineno: 1,
        colno: 200,
        in_app: true,
      },
      { filename: '<blob-url>' },
    ])
    expect(scrubbed.exception?.values?.[0]?.mechanism).toEqual({ type: 'onerror', handled: false })
  })

  it('keeps only the install id of the user', () => {
    expect(scrubbed.user).toEqual({ id: 'install-1' })
  })

  it('removes extra, server name, modules and contexts other than browser/os/device/runtime', () => {
    expect(scrubbed.extra).toBeUndefined()
    expect(scrubbed.server_name).toBeUndefined()
    expect(scrubbed.modules).toBeUndefined()
    expect(Object.keys(scrubbed.contexts ?? {}).sort()).toEqual(['browser', 'os'])
  })

  it('keeps the scrubbed page URL and the User-Agent only', () => {
    expect(scrubbed.request).toEqual({
      url: 'http://localhost:3000/library',
      headers: { 'User-Agent': 'Chromium' },
    })
  })

  it('drops console breadcrumbs and scrubs the rest', () => {
    expect(scrubbed.breadcrumbs).toEqual([
      { category: 'navigation', data: { from: '/', to: '/library' } },
    ])
  })

  it('keeps release, environment, level and tags', () => {
    expect(scrubbed).toMatchObject({
      release: 'sightline@0.1.0',
      environment: 'production',
      level: 'error',
      tags: { context: 'page' },
    })
  })

  it('does not change the event it was given', () => {
    expect(event.extra).toEqual({ ocr: 'Dear Ann' })
  })

  it('leaves nothing of the user content anywhere in the JSON', () => {
    const json = JSON.stringify(scrubbed)
    for (const secret of ['beach', 'Ann', 'secret note', 'image=', 'ann@', '10.0.0.1', 'de-DE']) {
      expect(json).not.toContain(secret)
    }
  })
})
