// Jest snapshot serializer: masks asset hashes and CDK-generated hash suffixes so that
// snapshots of example stacks only change when the infrastructure changes.
const HASH_PATTERNS = [
  [/[0-9a-f]{64}(\.zip|\.json)?/g, '[HASH]$1'],
  [/cdk-hnb659fds-[a-z-]+-\$\{AWS::AccountId\}-\$\{AWS::Region\}/g, '[BOOTSTRAP]'],
];

function mask(value) {
  if (typeof value === 'string') {
    return HASH_PATTERNS.reduce((s, [re, to]) => s.replace(re, to), value);
  }
  if (Array.isArray(value)) {
    return value.map(mask);
  }
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[mask(k)] = mask(v);
    }
    return out;
  }
  return value;
}

const MASKED = Symbol('masked');

module.exports = {
  test(value) {
    return value !== null && typeof value === 'object' && !value[MASKED] && value.Resources !== undefined;
  },
  serialize(value, config, indentation, depth, refs, printer) {
    const masked = mask(value);
    Object.defineProperty(masked, MASKED, { value: true });
    return printer(masked, config, indentation, depth, refs);
  },
};
