'use client'

import {
  Anchor,
  Button,
  Card,
  Collapse,
  Group,
  List,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useId, useState, useSyncExternalStore } from 'react'
import { sendTestErrors } from '../_lib/telemetry/runtime'
import { isValidDsn, reportsToThisServer, useTelemetrySettings } from '../_lib/telemetry/settings'

/** Opt-in error reports and inference figures, with exactly what is sent and where. */
export function TelemetrySettingsCard() {
  const { settings, update } = useTelemetrySettings()
  const toThisServer = reportsToThisServer(settings)
  const host = useSyncExternalStore(
    noSubscription,
    () => location.host,
    () => 'this server',
  )
  const destination = toThisServer ? host : dsnHost(settings.dsn)

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={3} fz="lg">
          Error reports and performance
        </Title>
        <Switch
          checked={settings.enabled}
          onChange={(event) => update({ enabled: event.currentTarget.checked })}
          label="Send error reports and performance figures"
          description="Off until you turn it on. It helps whoever runs this server find bugs and slow models."
        />
        <div>
          <Text fz="sm" fw={500}>
            What is sent
          </Text>
          <List fz="sm" spacing={2}>
            <List.Item>
              For each error: its type, its message with file names, quoted text, web addresses and
              ids removed, and its stack trace (places in Sightline&apos;s code).
            </List.Item>
            <List.Item>
              Your browser and operating system, the app version, and an anonymous random id of this
              device, so errors can be counted per device.
            </List.Item>
            <List.Item>
              Analysis timings summed per minute for each task, model version and provider (WebGPU
              or WebAssembly), with counts of failures, WebGPU fallbacks and model downloads. Only
              when reports go to this server.
            </List.Item>
          </List>
        </div>
        <Text fz="sm">
          <Text span fw={500} inherit>
            Never sent:
          </Text>{' '}
          images or pixels, file names, text read from images, analysis results, tags, locations or
          your account.
        </Text>
        <Text fz="sm">
          <Text span fw={500} inherit>
            Where it goes:
          </Text>{' '}
          {toThisServer
            ? `this server (${destination}), where its admins see errors on the Monitoring page.`
            : `the Sentry-compatible server at ${destination}.`}
        </Text>
        {/* Keyed, so the field starts over from what is stored whenever that changes. */}
        <CustomDsn key={settings.dsn} dsn={settings.dsn} onSave={(dsn) => update({ dsn })} />
        {settings.enabled && <TestError toThisServer={toThisServer} />}
      </Stack>
    </Card>
  )
}

const noSubscription = () => () => {}

function dsnHost(dsn: string): string {
  try {
    return new URL(dsn).host
  } catch {
    return dsn
  }
}

function CustomDsn({ dsn, onSave }: { dsn: string; onSave: (dsn: string) => void }) {
  const [open, setOpen] = useState(dsn !== '')
  const [draft, setDraft] = useState(dsn)
  const [touched, setTouched] = useState(false)
  const panelId = useId()
  const invalid = draft.trim() !== '' && !isValidDsn(draft)

  const save = () => {
    setTouched(true)
    if (!invalid) onSave(draft.trim())
  }

  return (
    <div>
      <Anchor
        component="button"
        type="button"
        fz="sm"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
        aria-controls={panelId}
      >
        Send to another Sentry-compatible server (DSN)
      </Anchor>
      <Collapse expanded={open} id={panelId}>
        <form
          onSubmit={(event) => {
            event.preventDefault()
            save()
          }}
        >
          <Stack gap="xs" mt="xs">
            <TextInput
              label="DSN"
              description="From your Sentry or GlitchTip project's client keys, like https://key@sentry.example.org/12. Empty: this server."
              placeholder="https://key@sentry.example.org/12"
              value={draft}
              onChange={(event) => setDraft(event.currentTarget.value)}
              onBlur={() => setTouched(true)}
              error={touched && invalid ? 'Not a DSN: https://KEY@HOST/PROJECT_ID' : undefined}
              spellCheck={false}
              autoComplete="off"
            />
            <Group gap="xs">
              <Button type="submit" size="xs" disabled={draft.trim() === dsn}>
                Save DSN
              </Button>
              {dsn !== '' && (
                <Button variant="default" size="xs" onClick={() => onSave('')}>
                  Use this server
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      </Collapse>
    </div>
  )
}

function TestError({ toThisServer }: { toThisServer: boolean }) {
  const [state, setState] = useState<'idle' | 'sending' | 'sent' | 'failed'>('idle')
  const send = () => {
    setState('sending')
    sendTestErrors().then(
      () => setState('sent'),
      (error: unknown) => {
        console.warn('Could not throw the worker test error', error)
        setState('failed')
      },
    )
  }
  return (
    <Group gap="sm" align="center">
      <Button variant="default" size="xs" onClick={send} loading={state === 'sending'}>
        Send a test error
      </Button>
      <Text fz="sm" c="dimmed" role="status" aria-live="polite">
        {state === 'sent' &&
          (toThisServer
            ? 'Thrown in the page and in an analysis worker; admins see them on the Monitoring page.'
            : 'Thrown in the page and in an analysis worker; look for them in your Sentry project.')}
        {state === 'failed' && 'The analysis worker could not be reached; the page error was sent.'}
      </Text>
    </Group>
  )
}
