'use client'

import {
  Alert,
  Badge,
  Button,
  EmptyState,
  Group,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconLock, IconUsers } from '@tabler/icons-react'
import { useCallback, useEffect, useState } from 'react'
import type { UserUsage } from '../../server/db/users'
import { call } from '../_data/sync/gateway'
import { useAccount } from '../_hooks/use-account'
import { formatBytes, formatDateTime } from '../_lib/format'

type Listed = UserUsage

/** Accounts on this server, what each keeps, and disabling or enabling them (admins only). */
export function AdminScreen() {
  const { account, api } = useAccount()
  const [users, setUsers] = useState<Listed[] | undefined>()
  const [error, setError] = useState('')
  const isAdmin = account.status === 'signed-in' && account.user.role === 'admin'

  const load = useCallback(
    () =>
      call(() => api.rpc.admin.users.$get()).then(
        (answer) => {
          setUsers(answer.users)
          setError('')
        },
        (cause: unknown) =>
          setError(cause instanceof Error ? cause.message : 'Could not load the accounts'),
      ),
    [api],
  )

  useEffect(() => {
    if (isAdmin) void load()
  }, [isAdmin, load])

  if (account.status === 'loading') return <Skeleton h={200} />
  if (!isAdmin) {
    return (
      <EmptyState
        icon={<IconLock size={32} />}
        variant="light"
        title="Admins only"
        description="This screen lists the accounts on this server. Sign in with an admin account in Settings to see it."
        py="xl"
      />
    )
  }

  const setDisabled = async (user: Listed, disabled: boolean) => {
    try {
      await call(() =>
        api.rpc.admin.users[':id'].$patch({ param: { id: user.id }, json: { disabled } }),
      )
      notifications.show({
        message: `${user.email} is ${disabled ? 'disabled and signed out everywhere' : 'enabled'}.`,
      })
      await load()
    } catch (cause) {
      notifications.show({
        color: 'red',
        message: cause instanceof Error ? cause.message : 'Could not change the account',
      })
    }
  }

  const self = account.user.id
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Users</Title>
        <Button variant="default" size="xs" onClick={() => void load()}>
          Refresh
        </Button>
      </Group>
      {error && <Alert color="red">{error}</Alert>}
      {!users && !error && <Skeleton h={120} />}
      {users && users.length === 0 && (
        <EmptyState icon={<IconUsers size={32} />} variant="light" title="No accounts" py="xl" />
      )}
      {users && users.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover aria-label="Accounts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Email</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th ta="right">Storage used</Table.Th>
                <Table.Th ta="right">Records</Table.Th>
                <Table.Th>Enabled</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.map((user) => (
                <Table.Tr key={user.id}>
                  <Table.Td>{user.email}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={user.role === 'admin' ? 'blue' : 'gray'}>
                      {user.role}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{formatDateTime(user.createdAt)}</Table.Td>
                  <Table.Td ta="right">{formatBytes(user.storageBytes)}</Table.Td>
                  <Table.Td ta="right">{user.records.toLocaleString()}</Table.Td>
                  <Table.Td>
                    <Switch
                      checked={!user.disabled}
                      disabled={user.id === self}
                      aria-label={`${user.email} enabled`}
                      onChange={(event) => void setDisabled(user, !event.currentTarget.checked)}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Text fz="xs" c="dimmed">
        Storage counts synced image files and records. Disabling an account signs it out at once;
        its data stays until the account is deleted.
      </Text>
    </Stack>
  )
}
