'use client'

import { Serwist } from '@serwist/window'
import { useSyncExternalStore } from 'react'

/**
 * `ready`: a new version has installed and waits for the user to reload.
 * `elsewhere`: another tab switched to a new version; this tab still runs the old one.
 */
export type UpdateState = 'none' | 'ready' | 'elsewhere'

const checkEveryMs = 60 * 60_000
let serwist: Serwist | undefined
let update: UpdateState = 'none'
let requested = false
const listeners = new Set<() => void>()

function setUpdate(next: UpdateState) {
  update = next
  for (const listener of listeners) listener()
}

/**
 * Registers the service worker (production builds only: `next dev` has none) and watches for new
 * versions: on start, hourly, and when the tab comes back. Idempotent.
 */
export function registerServiceWorker(): void {
  if (serwist || process.env.NODE_ENV !== 'production' || !('serviceWorker' in navigator)) return
  serwist = new Serwist('/sw.js', { scope: '/', type: 'classic' })
  serwist.addEventListener('waiting', () => setUpdate('ready'))
  // The first version taking over (clientsClaim) changes nothing the page runs; a later one does.
  let controlled = !!navigator.serviceWorker.controller
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!controlled) {
      controlled = true
      return
    }
    // This tab asked for it (reloadToUpdate): load the new version. Another tab did: say so.
    if (requested) window.location.reload()
    else setUpdate('elsewhere')
  })
  void serwist
    .register()
    .catch((error: unknown) => console.warn('Service worker not registered', error))
  const check = () => void serwist?.update().catch(() => {})
  setInterval(check, checkEveryMs)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check()
  })
}

/** Activates the waiting version; the tab reloads once it controls the page. */
export function reloadToUpdate(): void {
  if (update === 'ready' && serwist) {
    requested = true
    serwist.messageSkipWaiting()
  } else window.location.reload()
}

export function useUpdateState(): UpdateState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => update,
    () => 'none',
  )
}
