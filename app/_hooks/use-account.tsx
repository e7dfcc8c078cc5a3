'use client'

import { notifications } from '@mantine/notifications'
import { useLiveQuery } from 'dexie-react-hooks'
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react'
import { getOrCreateDb } from '../_data/db'
import { createSyncEngine, type SyncEngine, type SyncStatus } from '../_data/sync/engine'
import { call, createGatewayClient, NetworkError } from '../_data/sync/gateway'
import { disableSync, enableSync } from '../_data/sync/state'

export interface AccountUser {
  id: string
  email: string
  role: 'user' | 'admin'
}

/**
 * `unavailable`: no gateway answers at this address (the app is served statically, or the server
 * is down); everything local still works.
 */
export type AccountState =
  | { status: 'loading' }
  | { status: 'unavailable' }
  | { status: 'signed-out'; expired?: boolean }
  | { status: 'signed-in'; user: AccountUser }

interface AccountValue {
  account: AccountState
  sync: SyncStatus & {
    enabled: boolean
    pending: number
    lastSyncedAt?: number
  }
  signIn(email: string, password: string): Promise<void>
  signUp(email: string, password: string): Promise<void>
  signOut(): Promise<void>
  setSyncEnabled(enabled: boolean): Promise<void>
  syncNow(): void
  /** After the account was deleted on the server. */
  forget(): void
  api: ReturnType<typeof createGatewayClient>
}

const AccountContext = createContext<AccountValue | null>(null)

export function useAccount(): AccountValue {
  const value = useContext(AccountContext)
  if (!value) throw new Error('useAccount must be used inside <AccountProvider>')
  return value
}

const offStatus: SyncStatus = { phase: 'off' }

const rememberedKey = 'sightline.account'

/** Keeps the signed-in account's public details on the device, for starting up offline. */
function rememberUser(user: AccountUser | undefined) {
  if (user) localStorage.setItem(rememberedKey, JSON.stringify(user))
  else localStorage.removeItem(rememberedKey)
}

function rememberedUser(): AccountUser | undefined {
  try {
    const user = JSON.parse(localStorage.getItem(rememberedKey) ?? 'null') as AccountUser | null
    return user && typeof user.id === 'string' && typeof user.email === 'string' ? user : undefined
  } catch {
    return undefined
  }
}

/** The signed-in account (if any) and the sync engine that runs while sync is on. */
export function AccountProvider({ children }: { children: ReactNode }) {
  const db = getOrCreateDb()
  const api = useMemo(() => createGatewayClient(), [])
  const [account, setAccount] = useState<AccountState>({ status: 'loading' })
  const syncState = useLiveQuery(() => db.syncState.get('sync'), [db])
  const pending = useLiveQuery(() => db.outbox.count(), [db]) ?? 0

  const [engine] = useState<SyncEngine>(() =>
    createSyncEngine(db, api, () => setAccount({ status: 'signed-out', expired: true })),
  )
  const status = useSyncExternalStore(engine.subscribe, engine.getStatus, () => offStatus)

  useEffect(() => {
    let cancelled = false
    const check = async () => {
      try {
        const { user } = await call(() => api.rpc.auth.session.$get())
        rememberUser(user ?? undefined)
        // Sync still on without a session: it expired, or the account was disabled.
        const expired = !user && Boolean((await db.syncState.get('sync'))?.enabled)
        if (!cancelled) {
          setAccount(user ? { status: 'signed-in', user } : { status: 'signed-out', expired })
        }
      } catch (error) {
        // Offline (or the gateway is down): the account this device last saw, so sync waits and
        // resumes; with none, local-only (also a static deployment without a gateway).
        const known = error instanceof NetworkError ? rememberedUser() : undefined
        if (!cancelled) {
          setAccount(known ? { status: 'signed-in', user: known } : { status: 'unavailable' })
        }
      }
    }
    void check()
    const onOnline = () => void check()
    window.addEventListener('online', onOnline)
    return () => {
      cancelled = true
      window.removeEventListener('online', onOnline)
    }
  }, [api, db])

  const signedInUserId = account.status === 'signed-in' ? account.user.id : undefined
  const enabled = Boolean(
    signedInUserId && syncState?.enabled && syncState.userId === signedInUserId,
  )
  useEffect(() => {
    if (enabled) engine.start()
    else engine.stop()
  }, [enabled, engine])
  useEffect(() => () => engine.stop(), [engine])

  const afterSignIn = useCallback(
    async (user: AccountUser) => {
      await enableSync(db, user.id)
      rememberUser(user)
      setAccount({ status: 'signed-in', user })
    },
    [db],
  )

  const signIn = useCallback(
    async (email: string, password: string) => {
      const { user } = await call(() =>
        api.rpc.auth['sign-in'].$post({ json: { email, password } }),
      )
      await afterSignIn(user)
    },
    [api, afterSignIn],
  )

  const signUp = useCallback(
    async (email: string, password: string) => {
      const { user } = await call(() =>
        api.rpc.auth['sign-up'].$post({ json: { email, password } }),
      )
      await afterSignIn(user)
    },
    [api, afterSignIn],
  )

  const signOut = useCallback(async () => {
    engine.stop()
    try {
      await call(() => api.rpc.auth['sign-out'].$post())
    } catch (error) {
      // Offline: the cookie is dropped when the server is next reached; locally we are out now.
      if (!(error instanceof NetworkError)) throw error
    }
    await disableSync(db)
    rememberUser(undefined)
    setAccount({ status: 'signed-out' })
  }, [api, db, engine])

  const setSyncEnabled = useCallback(
    async (on: boolean) => {
      if (on && signedInUserId) await enableSync(db, signedInUserId)
      else await disableSync(db)
    },
    [db, signedInUserId],
  )

  const forget = useCallback(() => {
    engine.stop()
    void disableSync(db)
    rememberUser(undefined)
    setAccount({ status: 'signed-out' })
    notifications.show({
      color: 'gray',
      message: 'Account deleted. Your library is still on this device.',
    })
  }, [db, engine])

  const value: AccountValue = {
    account,
    sync: { ...status, enabled, pending, lastSyncedAt: syncState?.lastSyncedAt },
    signIn,
    signUp,
    signOut,
    setSyncEnabled,
    syncNow: engine.syncNow,
    forget,
    api,
  }
  return <AccountContext.Provider value={value}>{children}</AccountContext.Provider>
}
