import { Token } from 'aws-cdk-lib';

/**
 * Pure checks and helpers of the transit gateway hub's inputs (no construct is created here).
 * Internal: not exported from the package.
 */

/**
 * The most characters of a transit gateway's description. The EC2 API documents no length for
 * `CreateTransitGateway`'s `Description`; 255 is the limit of EC2's other description fields
 * (security groups, network interfaces) and what the console accepts (not confirmed on a
 * current AWS page: check). The hub rejects a longer one at synth rather than at deploy.
 */
export const MAX_TRANSIT_GATEWAY_DESCRIPTION_LENGTH = 255;

/** The problem with a transit gateway description, if any (tokens are not checked). */
export function checkTransitGatewayDescription(value: string): string | undefined {
  if (Token.isUnresolved(value)) { return undefined; }
  const length = [...value].length;
  if (length > MAX_TRANSIT_GATEWAY_DESCRIPTION_LENGTH) {
    return `'${[...value].slice(0, 40).join('')}...' has ${length} characters, more than the ${MAX_TRANSIT_GATEWAY_DESCRIPTION_LENGTH} ` +
      'a transit gateway description takes';
  }
  return undefined;
}


/** What `shareWith` names, as the checks see it (the public struct is `TransitGatewaySharing`). */
export interface SharingInput {
  readonly accounts?: string[];
  readonly organizationArn?: string;
  readonly organizationalUnitArns?: string[];
  readonly allowExternalPrincipals?: boolean;
}

/**
 * An organization's ARN: `arn:<partition>:organizations::<management account>:organization/o-<10 to 32 characters>`.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html (Arn, Id pattern `^o-[a-z0-9]{10,32}$`)
 */
const ORGANIZATION_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/;

/**
 * An organizational unit's ARN: `arn:<partition>:organizations::<account>:ou/o-<org>/ou-<root>-<unit>`.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html (Id pattern `^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$`)
 */
const ORGANIZATIONAL_UNIT_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** The problem with an organization ARN, if any (tokens are not checked). */
export function checkOrganizationArn(value: string): string | undefined {
  if (Token.isUnresolved(value) || ORGANIZATION_ARN.test(value)) { return undefined; }
  return `'${value}' is not an organization ARN: it looks like arn:aws:organizations::111111111111:organization/o-exampleorgid ` +
    '(aws organizations describe-organization shows it)';
}

/** The problem with an organizational unit ARN, if any (tokens are not checked). */
export function checkOrganizationalUnitArn(value: string): string | undefined {
  if (Token.isUnresolved(value) || ORGANIZATIONAL_UNIT_ARN.test(value)) { return undefined; }
  return `'${value}' is not an organizational unit ARN: it looks like arn:aws:organizations::111111111111:ou/o-exampleorgid/ou-ab12-cdefgh34 ` +
    '(aws organizations describe-organizational-unit shows it)';
}

/**
 * The problems of a `shareWith`: no principal at all, a malformed account id, organization or OU
 * ARN, an account listed twice, OUs of another organization than `organizationArn`'s.
 *
 * @param checkAccount the account-id check (lib/private/identifiers.ts `checkAccountId`)
 */
export function sharingProblems(sharing: SharingInput, checkAccount: (value: string) => string | undefined): string[] {
  const problems: string[] = [];
  const accounts = sharing.accounts ?? [];
  const units = sharing.organizationalUnitArns ?? [];
  if (accounts.length === 0 && sharing.organizationArn === undefined && units.length === 0) {
    problems.push('shareWith names no principal: give accounts, organizationArn or organizationalUnitArns (or leave shareWith out).');
  }
  const seen = new Set<string>();
  for (const account of accounts) {
    const problem = checkAccount(account);
    if (problem) { problems.push(`shareWith.accounts: ${problem}.`); continue; }
    if (!Token.isUnresolved(account) && seen.has(account)) { problems.push(`shareWith.accounts lists ${account} twice: list each account once.`); }
    seen.add(account);
  }
  if (sharing.organizationArn !== undefined) {
    const problem = checkOrganizationArn(sharing.organizationArn);
    if (problem) { problems.push(`shareWith.organizationArn: ${problem}.`); }
  }
  for (const unit of units) {
    const problem = checkOrganizationalUnitArn(unit);
    if (problem) { problems.push(`shareWith.organizationalUnitArns: ${problem}.`); }
  }
  const org = sharing.organizationArn !== undefined && !Token.isUnresolved(sharing.organizationArn)
    ? /organization\/(o-[a-z0-9]+)$/.exec(sharing.organizationArn)?.[1] : undefined;
  if (org) {
    for (const unit of units) {
      const unitOrg = Token.isUnresolved(unit) ? undefined : /:ou\/(o-[a-z0-9]+)\//.exec(unit)?.[1];
      if (unitOrg && unitOrg !== org) {
        problems.push(`shareWith.organizationalUnitArns: ${unit} is in organization ${unitOrg}, not in ${org} of organizationArn. ` +
          'Give units of that organization (or leave organizationArn out: it already covers every unit of it).');
      }
    }
  }
  return problems;
}
