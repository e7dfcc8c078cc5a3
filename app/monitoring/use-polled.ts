'use client'

import { useCallback, useEffect, useRef, useState } from 'react'

/** How often an open Monitoring tab reloads its figures; the gateway samples once a minute. */
export const refreshMs = 60_000

export interface Polled<T> {
  data?: T
  /** Why the last load failed; the data of an earlier load stays. */
  error?: string
  loading: boolean
  /** When the data shown was loaded (ms since epoch). */
  loadedAt?: number
  refresh(): void
}

interface State<T> {
  load: unknown
  data?: T
  error?: string
  loading: boolean
  loadedAt?: number
}

/**
 * Loads now, whenever `load` changes (its data is dropped then), and again every minute while the
 * page is visible; coming back to a hidden page reloads if a refresh is due. Keep `load` stable
 * (`useCallback`) or it reloads on every render.
 */
export function usePolled<T>(load: (signal: AbortSignal) => Promise<T>): Polled<T> {
  const [state, setState] = useState<State<T>>({ load, loading: true })
  const [tick, setTick] = useState(0)
  const lastStart = useRef(0)
  // A new `load` asks for other data: what was shown no longer answers it.
  if (state.load !== load) setState({ load, loading: true })

  useEffect(() => {
    const controller = new AbortController()
    lastStart.current = Date.now()
    load(controller.signal).then(
      (data) => setState({ load, data, loading: false, loadedAt: Date.now() }),
      (cause: unknown) => {
        if (controller.signal.aborted) return
        const error = cause instanceof Error ? cause.message : 'Something went wrong'
        setState((previous) => ({ ...previous, error, loading: false }))
      },
    )
    return () => controller.abort()
  }, [load, tick])

  useEffect(() => {
    const visible = () => document.visibilityState === 'visible'
    const timer = setInterval(() => {
      if (visible()) setTick((n) => n + 1)
    }, refreshMs)
    const onVisibility = () => {
      if (visible() && Date.now() - lastStart.current >= refreshMs) setTick((n) => n + 1)
    }
    document.addEventListener('visibilitychange', onVisibility)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [])

  const refresh = useCallback(() => {
    setState((previous) => ({ ...previous, loading: true }))
    setTick((n) => n + 1)
  }, [])

  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    loadedAt: state.loadedAt,
    refresh,
  }
}
