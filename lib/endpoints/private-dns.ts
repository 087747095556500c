/**
 * The DNS names an AWS service answers on, for sharing one interface endpoint with other VPCs
 * through Route 53 private hosted zones. Pure: no construct is created here (tested without
 * synthesis in test/endpoints/shared-endpoints-dns.test.ts). Internal: not exported from the package.
 *
 * An interface endpoint's own private DNS works only inside its VPC. To share it, its private
 * DNS is turned off and a private hosted zone named after the service's DNS name holds alias
 * records to the endpoint's regional DNS name; the zone is associated with every consumer VPC
 * (../shared/FACTS.md, "Route 53 (for shared endpoints)";
 * https://docs.aws.amazon.com/whitepapers/latest/building-scalable-secure-multi-vpc-network-infrastructure/centralized-access-to-vpc-private-endpoints.html).
 *
 * Most services answer on `<service>.<region>.<suffix>` (`sns.us-east-1.amazonaws.com`), the
 * part of the endpoint service name (`com.amazonaws.<region>.sns`) after the region. The
 * exceptions below answer on other names, or on every name below one (a wildcard record):
 * - `ecr.api`: `api.ecr.<region>` (the SDKs' default; the `ecr.<region>` name is not served by the
 *   endpoint: https://docs.aws.amazon.com/general/latest/gr/ecr.html);
 * - `ecr.dkr`: `<registry id>.dkr.ecr.<region>`, so the zone `dkr.ecr.<region>` with a wildcard record
 *   (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html);
 * - `s3` (interface endpoint): `s3.<region>` and the bucket names below it (`bucket.s3.<region>`),
 *   so a wildcard record too;
 * - `execute-api`: `<api id>.execute-api.<region>`, a wildcard record;
 * - `sagemaker.api` and `sagemaker.runtime`: `api.sagemaker.<region>`, `runtime.sagemaker.<region>`;
 * - `kinesis-streams`: `kinesis.<region>`; `kinesis-firehose`: `firehose.<region>`.
 * A service whose short name has a dot and is not listed here is not shared: its DNS names are
 * not known to the library (the error says so, rather than creating a zone nobody queries).
 */

/** Where an AWS service's names live: one private hosted zone and its records. */
export interface ServiceDnsNames {
  /** The zone's name, relative to the region: `sns.<region>.<suffix>`, written with `{region}` and `{suffix}`. */
  readonly zoneTemplate: string;
  /** The records of the zone: '' for the zone apex, '*' for every name below it. */
  readonly records: string[];
}

/** The services whose names are not `<short name>.<region>.<suffix>` alone. */
const EXCEPTIONS: { [shortName: string]: ServiceDnsNames } = {
  'ecr.api': { zoneTemplate: 'api.ecr.{region}.{suffix}', records: [''] },
  'ecr.dkr': { zoneTemplate: 'dkr.ecr.{region}.{suffix}', records: ['', '*'] },
  's3': { zoneTemplate: 's3.{region}.{suffix}', records: ['', '*'] },
  'execute-api': { zoneTemplate: 'execute-api.{region}.{suffix}', records: ['', '*'] },
  'sagemaker.api': { zoneTemplate: 'api.sagemaker.{region}.{suffix}', records: [''] },
  'sagemaker.runtime': { zoneTemplate: 'runtime.sagemaker.{region}.{suffix}', records: [''] },
  'kinesis-streams': { zoneTemplate: 'kinesis.{region}.{suffix}', records: [''] },
  'kinesis-firehose': { zoneTemplate: 'firehose.{region}.{suffix}', records: [''] },
};

/**
 * Services whose endpoints AWS offers without private DNS names to share, or whose names depend
 * on the caller (the ECS agent endpoints answer on numbered names per account).
 */
const WITHOUT_SHAREABLE_NAMES = new Set(['ecs-agent', 'ecs-telemetry']);

/**
 * The zone and records of an AWS service, from the short name of its endpoint service
 * (`sns`, `ecr.dkr`: the part of `com.amazonaws.<region>.<short name>` after the region).
 *
 * @returns the names, or `undefined` when the library does not know them
 */
export function serviceDnsNames(shortName: string): ServiceDnsNames | undefined {
  const exception = EXCEPTIONS[shortName];
  if (exception) { return exception; }
  if (WITHOUT_SHAREABLE_NAMES.has(shortName)) { return undefined; }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(shortName)) { return undefined; }
  return { zoneTemplate: `${shortName}.{region}.{suffix}`, records: [''] };
}

/** A zone template with its region and suffix filled in (either may be a token string). */
export function zoneNameOf(names: ServiceDnsNames, region: string, suffix: string): string {
  return names.zoneTemplate.replace('{region}', region).replace('{suffix}', suffix);
}

/** The zone for a message: `sns.<region>.amazonaws.com`. */
export function zoneTextOf(names: ServiceDnsNames): string {
  return zoneNameOf(names, '<region>', 'amazonaws.com');
}

/** The record names of a zone for a message: `sns.<region>.amazonaws.com, *.dkr.ecr.<region>.amazonaws.com`. */
export function recordTextsOf(names: ServiceDnsNames): string[] {
  const zone = zoneTextOf(names);
  return names.records.map((r) => (r === '' ? zone : `${r}.${zone}`));
}
