import { createTestGateway, type TestClient, type TestGateway } from '../_testing/gateway'

let gateway: TestGateway

/** Who the session endpoint says is signed in: an email, or null. */
async function whoIs(client: TestClient): Promise<string | null> {
  const response = await client.get('/api/auth/session')
  expect(response.status).toBe(200)
  return ((await response.json()) as { user: { email: string } | null }).user?.email ?? null
}
beforeEach(async () => {
  gateway = await createTestGateway({
    SIGHTLINE_LOGIN_LIMIT_PER_ACCOUNT: '3',
    SIGHTLINE_LOGIN_LIMIT_PER_IP: '8',
  })
})
afterEach(() => gateway.close())

describe('auth', () => {
  it('makes the first account the admin and later ones users', async () => {
    expect((await gateway.client().signUp('first@example.com')).role).toBe('admin')
    expect((await gateway.client().signUp('second@example.com')).role).toBe('user')
  })

  it('sets an httpOnly SameSite session cookie and knows who is signed in', async () => {
    const client = gateway.client()
    const response = await client.post('/api/auth/sign-up', {
      email: ' Ada@Example.com ',
      password: 'correct horse battery',
    })
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^sightline_session=[\w-]{43};/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).not.toContain('Secure')
    const session = await client.get('/api/auth/session')
    expect(((await session.json()) as { user: { email: string } }).user.email).toBe(
      'ada@example.com',
    )
  })

  it('stores an argon2id hash, never the password', async () => {
    await gateway.client().signUp('ada@example.com', 'correct horse battery')
    const { rows } = await gateway.db.execute('SELECT password_hash FROM users')
    expect(String(rows[0]?.password_hash)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  })

  it('answers a wrong password and an unknown email the same way', async () => {
    await gateway.client().signUp('ada@example.com')
    const wrong = await gateway.client().post('/api/auth/sign-in', {
      email: 'ada@example.com',
      password: 'not the password',
    })
    const unknown = await gateway.client().post('/api/auth/sign-in', {
      email: 'nobody@example.com',
      password: 'not the password',
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    const a = (await wrong.json()) as Record<string, unknown>
    const b = (await unknown.json()) as Record<string, unknown>
    expect({ ...a, requestId: '' }).toEqual({ ...b, requestId: '' })
    expect(a.detail).toBe('The email or password is not right')
  })

  it('rejects a short password with a field error in a problem document', async () => {
    const response = await gateway.client().post('/api/auth/sign-up', {
      email: 'not-an-email',
      password: 'short',
    })
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    const body = (await response.json()) as {
      type: string
      errors: { path: string }[]
      requestId: string
    }
    expect(body.type).toBe('/api/problems/validation')
    expect(body.errors.map((e) => e.path).sort()).toEqual(['email', 'password'])
    expect(body.requestId).toBe(response.headers.get('x-request-id'))
  })

  it('signs out on the server: the old cookie stops working', async () => {
    const client = gateway.client()
    await client.signUp('ada@example.com')
    const cookie = client.cookie
    expect((await client.post('/api/auth/sign-out')).status).toBe(204)
    client.cookie = cookie
    expect(await whoIs(client)).toBeNull()
  })

  it('limits failed sign-ins per account, then per IP, with Retry-After', async () => {
    await gateway.client().signUp('ada@example.com')
    const attempt = (email: string, password = 'wrong password') =>
      gateway.client().post('/api/auth/sign-in', { email, password })
    for (let i = 0; i < 3; i++) expect((await attempt('ada@example.com')).status).toBe(401)
    const limited = await attempt('ada@example.com')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    // The right password is refused too while the account is locked out.
    expect((await attempt('ada@example.com', 'correct horse battery')).status).toBe(429)
    // Other accounts still work until the IP's own limit (8 attempts) is used up.
    expect((await attempt('bob@example.com')).status).toBe(401)
    for (let i = 0; i < 2; i++) await attempt(`x${i}@example.com`)
    expect((await attempt('bob@example.com')).status).toBe(429)
  })

  it('changes the password and signs out every other session', async () => {
    const laptop = gateway.client()
    await laptop.signUp('ada@example.com', 'correct horse battery')
    const phone = gateway.client()
    await phone.post('/api/auth/sign-in', {
      email: 'ada@example.com',
      password: 'correct horse battery',
    })
    expect(await whoIs(phone)).toBe('ada@example.com')
    const wrong = await laptop.post('/api/account/password', {
      currentPassword: 'nope nope nope',
      newPassword: 'a new long password',
    })
    expect(wrong.status).toBe(403)
    const changed = await laptop.post('/api/account/password', {
      currentPassword: 'correct horse battery',
      newPassword: 'a new long password',
    })
    expect(changed.status).toBe(204)
    expect(await whoIs(laptop)).toBe('ada@example.com')
    expect(await whoIs(phone)).toBeNull()
    const again = gateway.client()
    const signIn = await again.post('/api/auth/sign-in', {
      email: 'ada@example.com',
      password: 'a new long password',
    })
    expect(signIn.status).toBe(200)
  })

  it('lets an admin disable an account, which ends its sessions at once', async () => {
    const admin = gateway.client()
    await admin.signUp('admin@example.com')
    const bob = gateway.client()
    const bobUser = await bob.signUp('bob@example.com')
    expect((await bob.get('/api/admin/users')).status).toBe(403)
    const disabled = await admin.patch(`/api/admin/users/${bobUser.id}`, { disabled: true })
    expect(disabled.status).toBe(200)
    expect(await whoIs(bob)).toBeNull()
    const signIn = await gateway.client().post('/api/auth/sign-in', {
      email: 'bob@example.com',
      password: 'correct horse battery',
    })
    expect(signIn.status).toBe(403)
    const list = (await (await admin.get('/api/admin/users')).json()) as {
      users: { email: string; disabled: boolean; storageBytes: number }[]
    }
    expect(list.users.map((u) => [u.email, u.disabled])).toEqual([
      ['admin@example.com', false],
      ['bob@example.com', true],
    ])
  })
})

describe('closed sign-up', () => {
  it('lets only the first account (the admin) sign up', async () => {
    const closed = await createTestGateway({ SIGHTLINE_SIGNUP: 'closed' })
    try {
      expect((await closed.client().signUp('admin@example.com')).role).toBe('admin')
      const refused = await closed.client().post('/api/auth/sign-up', {
        email: 'bob@example.com',
        password: 'correct horse battery',
      })
      expect(refused.status).toBe(403)
      expect(((await refused.json()) as { type: string }).type).toBe('/api/problems/signup-closed')
      const { rows } = await closed.db.execute('SELECT count(*) AS n FROM users')
      expect(Number(rows[0]?.n)).toBe(1)
    } finally {
      closed.close()
    }
  })
})
