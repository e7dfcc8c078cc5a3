import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { registry } from '.'

const here = fileURLToPath(new URL('.', import.meta.url))
const taskFolders = readdirSync(here, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
  .map((entry) => entry.name)

it('registers every task folder under its own name', () => {
  expect(Object.keys(registry).sort()).toEqual(taskFolders.sort())
})

it.each(Object.entries(registry))('%s: manifest id matches its key', (id, { manifest }) => {
  expect(manifest.id).toBe(id)
})

it.each(Object.entries(registry))(
  '%s: loads a task whose manifest is the registered one',
  async (_id, entry) => {
    const { default: task } = await entry.load()
    expect(task.manifest).toBe(entry.manifest)
  },
)
