import { expose } from 'comlink'
import { inspect } from './import/inspect'

const api = { inspect }

/** What `import-client.ts` can call in the import worker. */
export type ImportApi = typeof api

expose(api)
