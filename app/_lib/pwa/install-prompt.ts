'use client'

import { useSyncExternalStore } from 'react'

/** Chromium's event for offering to install the app (not in TypeScript's DOM types). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>
}

let deferred: BeforeInstallPromptEvent | null = null
const listeners = new Set<() => void>()
const publish = () => listeners.forEach((listener) => listener())

/** Keeps the browser's install offer for the Install button instead of its own mini-infobar. */
export function watchInstallPrompt(): () => void {
  const onOffer = (event: Event) => {
    event.preventDefault()
    deferred = event as BeforeInstallPromptEvent
    publish()
  }
  const onInstalled = () => {
    deferred = null
    publish()
  }
  window.addEventListener('beforeinstallprompt', onOffer)
  window.addEventListener('appinstalled', onInstalled)
  return () => {
    window.removeEventListener('beforeinstallprompt', onOffer)
    window.removeEventListener('appinstalled', onInstalled)
  }
}

/** Shows the browser's install dialog; an offer can be used once. */
export async function install(): Promise<'accepted' | 'dismissed'> {
  const offer = deferred
  if (!offer) return 'dismissed'
  deferred = null
  publish()
  await offer.prompt()
  return (await offer.userChoice).outcome
}

/** Whether the browser offers to install the app now. */
export function useCanInstall(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => deferred !== null,
    () => false,
  )
}
