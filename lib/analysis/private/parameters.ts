/**
 * Parameter values given by the user (`NetworkModelOptions.parameters`, the CLI's
 * `--parameters Stack:Key=Value`): checked against the templates and attached to their stacks.
 */
import { StackTemplate } from './templates';

/** Parameter values by stack name, then parameter name. */
export type ParameterValues = { readonly [stack: string]: { readonly [key: string]: string } };

/**
 * The stacks with the values given for their parameters.
 *
 * @throws when a value names a stack the model does not hold, or a parameter its template does not declare
 */
export function withParameters(stacks: StackTemplate[], given: ParameterValues | undefined): StackTemplate[] {
  if (given === undefined || Object.keys(given).length === 0) { return stacks; }
  const byName = new Map(stacks.map((s) => [s.name, s]));
  for (const [stack, values] of Object.entries(given)) {
    const found = byName.get(stack);
    if (!found) {
      throw new Error(`Parameter values are given for stack '${stack}', which the model does not hold. ` +
        `Its stacks are: ${stacks.map((s) => s.name).join(', ') || 'none'} (a nested stack is named <parent>/<logicalId>).`);
    }
    if (values === null || typeof values !== 'object') {
      throw new Error(`The parameter values of stack '${stack}' must be an object of parameter name → value, got ${JSON.stringify(values)}.`);
    }
    const declared = Object.keys(found.template.Parameters ?? {});
    for (const [key, value] of Object.entries(values)) {
      if (!declared.includes(key) && !PSEUDO_PARAMETERS.includes(key)) {
        throw new Error(`Stack '${stack}' has no parameter '${key}' (a value is given for it). ` +
          `Its parameters are: ${declared.join(', ') || 'none'} (and the pseudo parameters ${PSEUDO_PARAMETERS.join(', ')}).`);
      }
      if (typeof value !== 'string') {
        throw new Error(`The value of parameter '${key}' of stack '${stack}' must be a string (as CloudFormation takes it; a list is comma-separated), got ${JSON.stringify(value)}.`);
      }
    }
  }
  return stacks.map((s) => {
    const values = given[s.name];
    if (!values) { return s; }
    const region = values['AWS::Region'] ?? s.region;
    const account = values['AWS::AccountId'] ?? s.account;
    // A nested stack is in its parent's environment.
    return { ...s, region, account, parameters: { ...s.parameters, ...values } };
  }).map((s, _, all) => (s.parent && !given[s.name] ? { ...s, region: s.region ?? regionOf(all, s.parent.stack), account: s.account ?? accountOf(all, s.parent.stack) } : s));
}

/** The pseudo parameters a value may be given for: the stack's environment, when the template does not say it. */
const PSEUDO_PARAMETERS = ['AWS::Region', 'AWS::AccountId'];

function regionOf(stacks: StackTemplate[], name: string): string | undefined {
  return stacks.find((s) => s.name === name)?.region;
}

function accountOf(stacks: StackTemplate[], name: string): string | undefined {
  return stacks.find((s) => s.name === name)?.account;
}

/**
 * Parse the CLI's `Stack:Key=Value` into `values` (several may be given, one per `--parameters`).
 *
 * @returns what is wrong with `text`, or undefined
 */
export function parseParameterArgument(text: string, values: { [stack: string]: { [key: string]: string } }): string | undefined {
  const match = /^([^:=]+):([A-Za-z0-9]+(?:::[A-Za-z0-9]+)?)=(.*)$/s.exec(text);
  if (!match) {
    return `--parameters '${text}' is not Stack:Key=Value (the stack name is the template file's name without its extension, ` +
      'or <parent>/<logicalId> for a nested stack).';
  }
  const [, stack, key, value] = match;
  values[stack] = { ...values[stack], [key]: value };
  return undefined;
}
