import { manifest as faceDetection } from './face-detection/manifest'
import { manifest as imageProperties } from './image-properties/manifest'
import { manifest as objectDetection } from './object-detection/manifest'
import { manifest as personSegmentation } from './person-segmentation/manifest'
import { manifest as textRecognition } from './text-recognition/manifest'

/**
 * Every analysis task, by id. Manifests are imported eagerly (menus, settings, the Models page);
 * task code is loaded on demand, inside the worker.
 */
export const registry = {
  'face-detection': { manifest: faceDetection, load: () => import('./face-detection') },
  'image-properties': { manifest: imageProperties, load: () => import('./image-properties') },
  'object-detection': { manifest: objectDetection, load: () => import('./object-detection') },
  'person-segmentation': {
    manifest: personSegmentation,
    load: () => import('./person-segmentation'),
  },
  'text-recognition': { manifest: textRecognition, load: () => import('./text-recognition') },
} as const

export type TaskId = keyof typeof registry
type TaskOf<Id extends TaskId> = Awaited<ReturnType<(typeof registry)[Id]['load']>>['default']
export type OptionsOf<Id extends TaskId> = Parameters<TaskOf<Id>['analyze']>[1]
export type ResultOf<Id extends TaskId> = Awaited<ReturnType<TaskOf<Id>['analyze']>>

export const taskIds = Object.keys(registry) as TaskId[]
