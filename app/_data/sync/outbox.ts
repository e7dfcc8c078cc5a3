import type {
  DBCore,
  DBCoreDeleteRangeRequest,
  DBCoreDeleteRequest,
  DBCoreTable,
  Middleware,
} from 'dexie'
import type { SyncKind } from '../db'

/** A result's id on the gateway. */
export const resultKey = (imageId: string, task: string) => `${imageId}:${task}`

/** Tables whose changes sync, the kind the gateway knows them by, and each row's id there. */
const synced: Record<string, { kind: SyncKind; keyOf: (primaryKey: unknown) => string }> = {
  images: { kind: 'image', keyOf: (id) => String(id) },
  results: {
    kind: 'result',
    keyOf: (key) => {
      const [imageId, task] = key as [string, string]
      return resultKey(imageId, task)
    },
  },
  // An image's saved edit is its `recipe`, under the image's id.
  edits: { kind: 'recipe', keyOf: (imageId) => String(imageId) },
}

/**
 * Records every write to a synced table as an outbox entry in the same transaction, so no code
 * path can change the library without the change being pushed later (Dexie Cloud does the same).
 * Read-write transactions that touch a synced table are widened to include the outbox.
 */
export const outboxMiddleware: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'sightline-outbox',
  create(down) {
    return {
      ...down,
      transaction(stores, mode, options) {
        const widened =
          mode === 'readwrite' &&
          stores.some((name) => name in synced) &&
          !stores.includes('outbox')
            ? [...stores, 'outbox']
            : stores
        return down.transaction(widened, mode, options)
      },
      table(name) {
        const table = down.table(name)
        const sync = synced[name]
        if (!sync) return table
        return {
          ...table,
          // No async/await here: Dexie keeps its transaction zone across `.then` but not across
          // a native await, and the hooks middleware below reads the zone.
          mutate(request) {
            const record = (keys: unknown[]) =>
              keys.length === 0
                ? undefined
                : down.table('outbox').mutate({
                    type: 'put',
                    trans: request.trans,
                    values: keys.map((key) => ({
                      kind: sync.kind,
                      key: sync.keyOf(key),
                      at: Date.now(),
                    })),
                  })
            if (request.type === 'add' || request.type === 'put') {
              return table.mutate(request).then((response) => {
                const written = (response.results ?? []).filter(
                  (_, index) => !(index in response.failures),
                )
                return Promise.resolve(record(written)).then(() => response)
              })
            }
            return deletedKeys(table, request).then((keys) =>
              table
                .mutate(request)
                .then((response) => Promise.resolve(record(keys)).then(() => response)),
            )
          },
        } satisfies DBCoreTable
      },
    }
  },
}

/**
 * Primary keys of the rows a delete will remove (a range delete is resolved to its keys first).
 * Keys with no row are left out: deleting what is not there is no change to push (a batch that
 * drops the edits of images without one would otherwise send a tombstone for each).
 */
function deletedKeys(
  table: DBCoreTable,
  request: DBCoreDeleteRequest | DBCoreDeleteRangeRequest,
): Promise<unknown[]> {
  if (request.type === 'delete') {
    return table
      .getMany({ trans: request.trans, keys: request.keys })
      .then((rows) => request.keys.filter((_, index) => rows[index] !== undefined))
  }
  return table
    .query({
      trans: request.trans,
      values: false,
      query: { index: table.schema.primaryKey, range: request.range },
    })
    .then(({ result }) => result)
}
