import { createReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import type { BlobStore } from './types'

export interface S3Options {
  endpoint?: string
  region: string
  bucket: string
  accessKeyId?: string
  secretAccessKey?: string
  prefix: string
}

/** Files in an S3-compatible bucket under `<prefix><sha256>`. */
export function createS3Store(options: S3Options): BlobStore {
  const client = new S3Client({
    region: options.region,
    endpoint: options.endpoint,
    // Self-hosted S3 (MinIO, Garage, s3rver) rarely has per-bucket DNS names.
    forcePathStyle: options.endpoint !== undefined,
    // The SDK streams uploads as `aws-chunked` with a trailing checksum by default; self-hosted
    // S3 servers that do not decode that framing (s3rver, older MinIO/Ceph) store it as the bytes.
    ...(options.endpoint !== undefined && { requestChecksumCalculation: 'WHEN_REQUIRED' as const }),
    credentials:
      options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
  })
  const Bucket = options.bucket
  const keyOf = (sha256: string) => `${options.prefix}${sha256}`
  return {
    async put(sha256, file, bytes) {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: keyOf(sha256),
          Body: createReadStream(file),
          ContentLength: bytes,
          ContentType: 'application/octet-stream',
        }),
      )
      // Only once stored: after a failure the staged file stays, and a retried complete uses it.
      await rm(file, { force: true })
    },
    async get(sha256) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(sha256) }))
        if (!object.Body) return undefined
        return {
          body: object.Body.transformToWebStream() as ReadableStream<Uint8Array>,
          bytes: Number(object.ContentLength ?? 0),
        }
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined
        throw error
      }
    },
    async remove(sha256) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(sha256) }))
    },
    async check() {
      await client.send(new HeadBucketCommand({ Bucket }))
    },
  }
}
