/** A valid `recipe` record's data for tests: one quarter turn, no edited file. */
export function recipeData(
  imageId: string,
  { degrees = 90, op = 'rotate', savedAt = 1_700_000_000_000 } = {},
) {
  return {
    imageId,
    operations: [{ op, params: { degrees } }],
    revision: 1,
    savedAt,
    width: 640,
    height: 480,
    mime: 'image/jpeg',
    files: {},
  }
}
