/** The rebalance state machine, driven directly with fake timers. */
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { ErrorCode } from '../protocol/error-codes.js';
import { Group, type JoinResult, type SyncResult } from './group.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const proto = [{ name: 'range', metadata: Buffer.from('meta') }];
function join(g: Group, memberId: string, opts: { session?: number; rebalance?: number; v4?: boolean } = {}) {
  let result: JoinResult | undefined;
  g.join(
    {
      memberId,
      groupInstanceId: null,
      sessionTimeoutMs: opts.session ?? 10_000,
      rebalanceTimeoutMs: opts.rebalance ?? 30_000,
      protocolType: 'consumer',
      protocols: proto,
      clientId: 'c',
      clientHost: '127.0.0.1',
    },
    opts.v4 ?? false,
    (r) => {
      result = r;
    },
  );
  return () => result;
}
function sync(
  g: Group,
  memberId: string,
  generation: number,
  assignments: { memberId: string; assignment: Buffer }[] = [],
) {
  let result: SyncResult | undefined;
  g.sync(memberId, generation, assignments, (r) => {
    result = r;
  });
  return () => result;
}

test('JoinGroup v4+ requires a member id, then the group forms', () => {
  const g = new Group('g', 0);
  const first = join(g, '', { v4: true })()!;
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  expect(first.memberId).not.toBe('');
  const joined = join(g, first.memberId, { v4: true })()!;
  expect(joined).toMatchObject({
    errorCode: 0,
    generationId: 1,
    leader: first.memberId,
    protocolName: 'range',
  });
  expect(joined.members).toHaveLength(1);
  expect(g.state).toBe('CompletingRebalance');
  const s = sync(g, first.memberId, 1, [{ memberId: first.memberId, assignment: Buffer.from('all') }])()!;
  expect(s).toEqual({ errorCode: 0, assignment: Buffer.from('all') });
  expect(g.state).toBe('Stable');
  expect(join(g, 'stranger')()!.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
});

test('a new member triggers a rebalance: heartbeats say REBALANCE_IN_PROGRESS until everyone rejoins', () => {
  const g = new Group('g', 0);
  const a = join(g, '')()!.memberId;
  sync(g, a, 1, [{ memberId: a, assignment: Buffer.from('a') }]);
  const bJoin = join(g, '');
  expect(bJoin()).toBeUndefined(); // waits for a to rejoin
  expect(g.state).toBe('PreparingRebalance');
  expect(g.heartbeat(a, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  const aJoin = join(g, a)()!;
  const b = bJoin()!;
  expect(aJoin.generationId).toBe(2);
  expect(b.generationId).toBe(2);
  expect(aJoin.leader).toBe(a);
  expect(aJoin.members.map((m) => m.memberId).sort()).toEqual([a, b.memberId].sort());
  expect(b.members).toEqual([]); // only the leader gets the member list
  const bSync = sync(g, b.memberId, 2);
  expect(bSync()).toBeUndefined(); // waits for the leader's assignment
  sync(g, a, 2, [
    { memberId: a, assignment: Buffer.from('p0') },
    { memberId: b.memberId, assignment: Buffer.from('p1') },
  ]);
  expect(bSync()).toEqual({ errorCode: 0, assignment: Buffer.from('p1') });
  expect(g.heartbeat(a, 2)).toBe(0);
  expect(g.heartbeat(a, 1)).toBe(ErrorCode.ILLEGAL_GENERATION);
});

test('the rebalance timeout removes members that do not rejoin', () => {
  const g = new Group('g', 0);
  const a = join(g, '', { rebalance: 5000 })()!.memberId;
  sync(g, a, 1, [{ memberId: a, assignment: Buffer.alloc(0) }]);
  const bJoin = join(g, '', { rebalance: 5000 });
  vi.advanceTimersByTime(4999);
  expect(bJoin()).toBeUndefined();
  vi.advanceTimersByTime(2);
  const b = bJoin()!;
  expect(b.errorCode).toBe(0);
  expect(b.leader).toBe(b.memberId);
  expect(g.members.has(a)).toBe(false);
});

test('a silent member is removed after its session timeout and the others rebalance', () => {
  const g = new Group('g', 0);
  const a = join(g, '', { session: 6000 })()!.memberId;
  const bJoin = join(g, '', { session: 6000 });
  join(g, a, { session: 6000 });
  const b = bJoin()!.memberId;
  sync(g, a, 2, []);
  sync(g, b, 2);
  expect(g.state).toBe('Stable');
  // a heartbeats, b goes silent.
  for (let t = 0; t < 7; t++) {
    vi.advanceTimersByTime(1000);
    g.heartbeat(a, 2);
  }
  expect(g.members.has(b)).toBe(false);
  expect(g.state).toBe('PreparingRebalance');
  expect(g.heartbeat(a, 2)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  const again = join(g, a)()!;
  expect(again.generationId).toBe(3);
  expect(again.members.map((m) => m.memberId)).toEqual([a]);
});

test('leaving empties the group; commits need the current generation', () => {
  const g = new Group('g', 0);
  const a = join(g, '')()!.memberId;
  sync(g, a, 1, []);
  expect(g.validateCommit(a, 1)).toBe(0);
  expect(g.validateCommit(a, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
  expect(g.validateCommit('', -1)).toBe(ErrorCode.ILLEGAL_GENERATION);
  expect(g.leave(a)).toBe(0);
  expect(g.state).toBe('Empty');
  expect(g.validateCommit('', -1)).toBe(0);
  expect(g.leave(a)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
});

test('members must share a protocol', () => {
  const g = new Group('g', 0);
  join(g, '');
  let r: JoinResult | undefined;
  g.join(
    {
      memberId: '',
      groupInstanceId: null,
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 10_000,
      protocolType: 'consumer',
      protocols: [{ name: 'other', metadata: Buffer.alloc(0) }],
      clientId: 'c',
      clientHost: '',
    },
    false,
    (x) => {
      r = x;
    },
  );
  expect(r!.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
});
