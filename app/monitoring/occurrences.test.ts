import { occurrence } from './occurrences'

describe('occurrence', () => {
  it('reads release, environment, where it happened, browser and OS from a stored event', () => {
    expect(
      occurrence({
        eventId: 'e1',
        receivedAt: 1000,
        payload: {
          release: 'sightline@0.1.0',
          environment: 'production',
          tags: { context: 'worker' },
          contexts: { browser: { name: 'Chrome', version: '156.0' }, os: { name: 'Linux' } },
        },
      }),
    ).toEqual({
      eventId: 'e1',
      receivedAt: 1000,
      release: 'sightline@0.1.0',
      environment: 'production',
      where: 'worker',
      browser: 'Chrome 156.0',
      os: 'Linux',
    })
  })

  it('leaves out what an event (say, from the Node SDK) does not carry', () => {
    expect(occurrence({ eventId: 'e2', receivedAt: 5, payload: { tags: { context: 3 } } })).toEqual(
      {
        eventId: 'e2',
        receivedAt: 5,
      },
    )
    expect(occurrence({ eventId: 'e3', receivedAt: 5, payload: null })).toEqual({
      eventId: 'e3',
      receivedAt: 5,
    })
  })
})
