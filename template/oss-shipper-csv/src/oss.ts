// The OSS client: the AWS S3 client pointed at OSS's S3-compatible endpoint, configured for what
// OSS accepts (template README, "Why the S3 client").
import { S3Client } from '@aws-sdk/client-s3';
import type { Credentials } from 'sls-trigger/runtime';

export interface OssTarget {
  readonly ossEndpoint: string;
  readonly ossRegion?: string;
  readonly maxAttempts?: number;
}

const clients = new Map<string, S3Client>();

/**
 * OSS's S3-compatible endpoint for what the user gave: the Java template's native endpoint
 * (oss-<region>[-internal].aliyuncs.com) becomes s3.oss-<region>[-internal].aliyuncs.com.
 */
export function s3Endpoint(ossEndpoint: string): { endpoint: string; region: string } {
  const url = new URL(/^https?:\/\//.test(ossEndpoint) ? ossEndpoint : `https://${ossEndpoint}`);
  if (/^oss-[a-z0-9-]+\.aliyuncs\.com$/.test(url.hostname)) url.hostname = `s3.${url.hostname}`;
  const region = /^s3\.oss-([a-z0-9-]+?)(-internal)?\.aliyuncs\.com$/.exec(url.hostname)?.[1] ?? 'oss';
  return { endpoint: url.origin, region };
}

/** One client per endpoint, region and key for the instance's life. */
export function ossClient(target: OssTarget, creds: Credentials): S3Client {
  const { endpoint, region } = s3Endpoint(target.ossEndpoint);
  const key = [endpoint, target.ossRegion ?? region, creds.accessKeyId, creds.securityToken ?? '', target.maxAttempts ?? 5].join('\n');
  let c = clients.get(key);
  if (!c) {
    c = new S3Client({
      endpoint,
      region: target.ossRegion ?? region,
      // OSS accepts only virtual-hosted-style requests and no aws-chunked bodies or flexible checksums
      forcePathStyle: false,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: target.maxAttempts ?? 5,
      credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.accessKeySecret, sessionToken: creds.securityToken },
    });
    clients.set(key, c);
  }
  return c;
}
