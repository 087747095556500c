import { Protocol } from 'aws-cdk-lib/aws-ec2';
import { modelOf, peered } from './support-network-templates';
import { ReachabilityBlockers } from '../../lib/analysis';

const TCP = 6;
const ALL = -1;



describe('network ACLs', () => {
  test('a subnet without an association has the default ACL, which allows everything', () => {
    expect(modelOf(peered()).canReach('Net/AS1', 'Net/BS1', { port: 22 })).toMatchObject({ reachable: true, certain: true });
  });

  test('the request is checked out of the source subnet and into the destination subnet, both ways', () => {
    // B's ACL admits 443 from A, and lets replies out on the ephemeral ports.
    const net = peered().acl('BAcl', 'B', ['BS1'], [
      [100, false, true, TCP, '10.0.0.0/16', 443],
      [100, true, true, TCP, '10.0.0.0/16', 1024, 65535],
    ]);
    const m = modelOf(net);
    expect(m.canReach('Net/AS1', 'Net/BS1', { port: 443 })).toMatchObject({ reachable: true, certain: true });
    const in22 = m.canReach('Net/AS1', 'Net/BS1', { port: 22 });
    expect(in22).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.NACL_INBOUND });
    expect(in22.reason).toBe('The network ACL Net/BAcl of subnet Net/BS1 denies tcp/22 from Net/AS1 (10.0.1.0/24): the final deny-all inbound rule (*) of Net/BAcl.');
    // The other way: B's ACL lets nothing out to port 443 of A.
    const out = m.canReach('Net/BS1', 'Net/AS1', { port: 443 });
    expect(out).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.NACL_OUTBOUND });
  });

  test('rules are evaluated by number: the first that matches decides', () => {
    const net = peered().acl('BAcl', 'B', ['BS1'], [
      [90, false, false, TCP, '10.0.1.0/24', 443],
      [100, false, true, ALL, '0.0.0.0/0'],
      [100, true, true, ALL, '0.0.0.0/0'],
    ]);
    const m = modelOf(net);
    const denied = m.canReach('Net/AS1', 'Net/BS1', { port: 443 });
    expect(denied).toMatchObject({ reachable: false, blockedBy: ReachabilityBlockers.NACL_INBOUND });
    expect(denied.reason).toMatch(/inbound rule 90 of Net\/BAcl \(deny tcp\/443 from 10\.0\.1\.0\/24\)/);
    expect(m.canReach('Net/AS2', 'Net/BS1', { port: 443 }).reachable).toBe(true);
    expect(m.canReach('Net/AS1', 'Net/BS1', { port: 80 }).reachable).toBe(true);
  });

  test('a stateless ACL needs the ephemeral ports for the reply: none is a certain no, part of them is uncertain', () => {
    const noReply = peered().acl('BAcl', 'B', ['BS1'], [
      [100, false, true, TCP, '10.0.0.0/16', 443],
      [100, true, true, TCP, '10.0.0.0/16', 443],
    ]);
    const lost = modelOf(noReply).canReach('Net/AS1', 'Net/BS1', { port: 443 });
    expect(lost).toMatchObject({ reachable: false, certain: true, blockedBy: ReachabilityBlockers.NACL_REPLY });
    expect(lost.reason).toBe('The network ACL Net/BAcl of subnet Net/BS1 denies tcp/1024-65535 to Net/AS1 (10.0.1.0/24): the final deny-all outbound rule (*) of Net/BAcl.');

    const linuxOnly = peered().acl('BAcl', 'B', ['BS1'], [
      [100, false, true, TCP, '10.0.0.0/16', 443],
      [100, true, true, TCP, '10.0.0.0/16', 32768, 65535],
    ]);
    const partial = modelOf(linuxOnly).canReach('Net/AS1', 'Net/BS1', { port: 443 });
    expect(partial).toMatchObject({ reachable: true, certain: false });
    expect(partial.reason).toMatch(/allows tcp\/1024-65535 to Net\/AS1 only on 32768-65535 .*it depends on the port the client picks/);
  });

  test('the reply into the source subnet is checked too', () => {
    const net = peered().acl('AAcl', 'A', ['AS1'], [
      [100, true, true, ALL, '0.0.0.0/0'],
      [100, false, true, TCP, '10.1.0.0/16', 22],
    ]);
    expect(modelOf(net).canReach('Net/AS1', 'Net/BS1', { port: 22 })).toMatchObject({ reachable: false, blockedBy: ReachabilityBlockers.NACL_REPLY });
  });

  test('ICMP entries: the echo request and its reply', () => {
    const net = peered().acl('BAcl', 'B', ['BS1'], [
      [100, false, true, 1, '10.0.0.0/16'],
      [100, true, true, 1, '10.0.0.0/16'],
    ]);
    const m = modelOf(net);
    expect(m.canReach('Net/AS1', 'Net/BS1', { protocol: Protocol.ICMP }).reachable).toBe(true);
    expect(m.canReach('Net/AS1', 'Net/BS1', { port: 22 }).blockedBy).toBe(ReachabilityBlockers.NACL_INBOUND);
  });

  test('ACLs do not filter traffic inside one subnet', () => {
    const net = peered().acl('AAcl', 'A', ['AS1'], []);
    const m = modelOf(net);
    expect(m.canReach('10.0.1.10', '10.0.1.20', { port: 22 }).reachable).toBe(true);
    expect(m.canReach('Net/AS2', 'Net/AS1', { port: 22 }).blockedBy).toBe(ReachabilityBlockers.NACL_INBOUND);
  });
});
