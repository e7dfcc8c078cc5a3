'use client'

import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Modal,
  PasswordInput,
  Radio,
  Skeleton,
  Stack,
  Switch,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { IconAlertTriangle, IconCloudOff } from '@tabler/icons-react'
import { useLiveQuery } from 'dexie-react-hooks'
import { useState, type FormEvent } from 'react'
import { getOrCreateDb } from '../_data/db'
import { call, GatewayError, NetworkError } from '../_data/sync/gateway'
import { setSyncedFiles, type SyncedFiles } from '../_data/sync/state'
import { useAccount } from '../_hooks/use-account'
import { formatDateTime } from '../_lib/format'

export function AccountSettingsCard() {
  const { account } = useAccount()
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={3} fz="lg">
          Account and sync
        </Title>
        {account.status === 'loading' && <Skeleton h={72} />}
        {account.status === 'unavailable' && (
          <Alert color="gray" icon={<IconCloudOff size={18} />} title="Sync is not available">
            No Sightline server answers at this address, so there is nothing to sign in to.
            Everything else works on this device.
          </Alert>
        )}
        {account.status === 'signed-out' && <SignInForm expired={account.expired} />}
        {account.status === 'signed-in' && <SignedIn />}
      </Stack>
    </Card>
  )
}

/** A user-facing message for a failed account request, and field errors by field name. */
function explain(error: unknown): { message: string; fields: Record<string, string> } {
  if (error instanceof NetworkError) {
    return { message: 'The server cannot be reached. Check your connection.', fields: {} }
  }
  if (error instanceof GatewayError) {
    const fields = Object.fromEntries(
      error.fieldErrors.map((e) => [e.path.split('.').at(-1), e.message]),
    )
    return { message: error.fieldErrors.length > 0 ? '' : error.message, fields }
  }
  return { message: 'Something went wrong. Try again.', fields: {} }
}

/** A form's action run with a busy flag and its explained failure, cleared on each try. */
function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<ReturnType<typeof explain> | null>(null)
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setProblem(null)
    try {
      await action()
    } catch (error) {
      setProblem(explain(error))
    } finally {
      setBusy(false)
    }
  }
  return { busy, problem, onSubmit }
}

function SignInForm({ expired }: { expired?: boolean }) {
  const { signIn, signUp } = useAccount()
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const { busy, problem, onSubmit } = useSubmit(async () => {
    await (mode === 'sign-in' ? signIn(email, password) : signUp(email, password))
    notifications.show({ color: 'teal', message: 'Signed in. Your library now syncs.' })
  })

  return (
    <Stack gap="sm">
      {expired && (
        <Alert color="yellow" icon={<IconAlertTriangle size={18} />}>
          Your session has ended. Sign in again to keep syncing; your library stays on this device.
        </Alert>
      )}
      <Text fz="sm">
        Sightline works fully without an account. Sign in to sync your library, analysis results and
        tags between your devices through this server.
      </Text>
      <Tabs value={mode} onChange={(value) => setMode(value === 'sign-up' ? 'sign-up' : 'sign-in')}>
        <Tabs.List>
          <Tabs.Tab value="sign-in">Sign in</Tabs.Tab>
          <Tabs.Tab value="sign-up">Create account</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <form
        onSubmit={(event) => void onSubmit(event)}
        aria-label={mode === 'sign-in' ? 'Sign in' : 'Create account'}
      >
        <Stack gap="xs" maw={360}>
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={problem?.fields.email}
          />
          <PasswordInput
            label="Password"
            autoComplete={mode === 'sign-in' ? 'current-password' : 'new-password'}
            description={mode === 'sign-up' ? 'At least 10 characters' : undefined}
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={problem?.fields.password}
          />
          {problem?.message && (
            <Text fz="sm" c="red" role="alert">
              {problem.message}
            </Text>
          )}
          <Group>
            <Button type="submit" loading={busy}>
              {mode === 'sign-in' ? 'Sign in' : 'Create account'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  )
}

function SignedIn() {
  const { account, sync, signOut, setSyncEnabled, syncNow } = useAccount()
  if (account.status !== 'signed-in') return null
  const { user } = account
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Text fz="sm">
          Signed in as <b>{user.email}</b>
        </Text>
        {user.role === 'admin' && <Badge variant="light">Admin</Badge>}
      </Group>
      <Switch
        label="Sync this library"
        description="Images, analysis results and tags go to this server and to your other devices. Turning it off keeps everything on this device."
        checked={sync.enabled}
        onChange={(event) => void setSyncEnabled(event.currentTarget.checked)}
      />
      {sync.enabled && <SyncedFiles />}
      {sync.enabled && <SyncStatusLine />}
      <Group gap="xs">
        {sync.enabled && (
          <Button variant="default" size="xs" onClick={syncNow} disabled={sync.phase === 'syncing'}>
            Sync now
          </Button>
        )}
        <Button variant="default" size="xs" onClick={() => void signOut()}>
          Sign out
        </Button>
      </Group>
      <ChangePassword />
      <DeleteAccount />
    </Stack>
  )
}

function SyncedFiles() {
  const db = getOrCreateDb()
  const files = useLiveQuery(async () => (await db.syncState.get('sync'))?.files ?? 'all', [db])
  return (
    <Radio.Group
      label="What this device sends"
      value={files ?? 'all'}
      onChange={(value) => void setSyncedFiles(db, syncedFilesOf(value))}
    >
      <Stack gap={6} mt={6}>
        <Radio value="all" label="Images, analysis results and tags" />
        <Radio
          value="edited"
          label="Edited versions only (e.g. redacted photos); originals stay on this device"
          description="Images you saved an edit of are sent as their edited version; originals, thumbnails and GPS positions stay here. Other devices list images without an edit without pictures."
        />
        <Radio
          value="none"
          label="Analysis results and tags only"
          description="Image files and GPS positions stay on this device; other devices list the images without pictures."
        />
      </Stack>
    </Radio.Group>
  )
}

function syncedFilesOf(value: string): SyncedFiles {
  return value === 'none' || value === 'edited' ? value : 'all'
}

export function SyncStatusLine() {
  const { sync, syncNow } = useAccount()
  const last = sync.lastSyncedAt
    ? `Last synced ${formatDateTime(sync.lastSyncedAt)}.`
    : 'Not synced yet.'
  const waiting =
    sync.pending > 0
      ? ` ${sync.pending.toLocaleString()} change${sync.pending === 1 ? '' : 's'} waiting.`
      : ''
  return (
    <Stack gap={4} aria-live="polite" data-testid="sync-status">
      {sync.phase === 'syncing' && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text fz="sm">{sync.activity ?? 'Syncing'}…</Text>
        </Group>
      )}
      {sync.phase === 'offline' && (
        <Text fz="sm" c="dimmed">
          Offline. Changes are kept and sync when you are back online.{waiting}
        </Text>
      )}
      {sync.phase === 'error' && (
        <Alert color="red" icon={<IconAlertTriangle size={18} />} title="Sync failed">
          <Stack gap="xs" align="flex-start">
            <Text fz="sm">
              {sync.error}. It is retried on its own
              {sync.retryAt ? ` at ${new Date(sync.retryAt).toLocaleTimeString()}` : ''}.
            </Text>
            <Button size="xs" variant="default" onClick={syncNow}>
              Retry now
            </Button>
          </Stack>
        </Alert>
      )}
      {(sync.phase === 'idle' || sync.phase === 'syncing') && (
        <Text fz="sm" c="dimmed">
          {last}
          {waiting}
        </Text>
      )}
    </Stack>
  )
}

function ChangePassword() {
  const { api } = useAccount()
  const [opened, { open, close }] = useDisclosure()
  const [current, setCurrent] = useState('')
  const [next, setNext] = useState('')
  const { busy, problem, onSubmit } = useSubmit(async () => {
    await call(() =>
      api.rpc.account.password.$post({ json: { currentPassword: current, newPassword: next } }),
    )
    notifications.show({
      color: 'teal',
      message: 'Password changed. Other devices were signed out.',
    })
    setCurrent('')
    setNext('')
    close()
  })

  return (
    <>
      <Group>
        <Button variant="subtle" size="xs" onClick={open}>
          Change password
        </Button>
      </Group>
      <Modal opened={opened} onClose={close} title="Change password">
        <form onSubmit={(event) => void onSubmit(event)}>
          <Stack gap="xs">
            <PasswordInput
              label="Current password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(event) => setCurrent(event.currentTarget.value)}
              error={problem?.fields.currentPassword}
            />
            <PasswordInput
              label="New password"
              description="At least 10 characters. Your other devices will be signed out."
              autoComplete="new-password"
              required
              value={next}
              onChange={(event) => setNext(event.currentTarget.value)}
              error={problem?.fields.newPassword}
            />
            {problem?.message && (
              <Text fz="sm" c="red" role="alert">
                {problem.message}
              </Text>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                Change password
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  )
}

function DeleteAccount() {
  const { api, forget } = useAccount()
  const [opened, { open, close }] = useDisclosure()
  const [password, setPassword] = useState('')
  const { busy, problem, onSubmit } = useSubmit(async () => {
    await call(() => api.rpc.account.$delete({ json: { password } }))
    close()
    forget()
  })

  return (
    <>
      <Group>
        <Button variant="subtle" color="red" size="xs" onClick={open}>
          Delete account…
        </Button>
      </Group>
      <Modal opened={opened} onClose={close} title="Delete your account?">
        <form onSubmit={(event) => void onSubmit(event)}>
          <Stack gap="xs">
            <Text fz="sm">
              Everything this server keeps for you (synced images, results and tags) is deleted at
              once and cannot be recovered. Your library on this device stays as it is; other
              devices keep their copies but stop syncing.
            </Text>
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={problem ? problem.message || 'The password is not right' : undefined}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={busy}>
                Delete account
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  )
}
