'use client'

import { Button, Code, Container, Stack, Text, Title } from '@mantine/core'
import { useEffect } from 'react'

export default function RouteError({ error, reset }: { error: Error; reset: () => void }) {
  useEffect(() => {
    console.error(error)
  }, [error])

  return (
    <Container size="sm" py="xl">
      <Stack>
        <Title order={2}>This screen stopped working</Title>
        <Text>
          Something went wrong while showing this screen. Your images are stored on this device and
          are not affected. Try again; if it keeps happening, reload the page.
        </Text>
        <Code block>{error.name}</Code>
        <Button onClick={reset} w="fit-content">
          Try again
        </Button>
      </Stack>
    </Container>
  )
}
