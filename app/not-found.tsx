import { Container, Stack, Text, Title } from '@mantine/core'
import { LinkButton } from './_components/link-button'

export default function NotFound() {
  return (
    <Container size="sm" py="xl">
      <Stack>
        <Title order={2}>Page not found</Title>
        <Text>There is nothing at this address.</Text>
        <LinkButton href="/library" w="fit-content">
          Go to the library
        </LinkButton>
      </Stack>
    </Container>
  )
}
