/**
 * A consumer group and its rebalance state machine, as Kafka's GroupCoordinator runs it:
 * Empty → PreparingRebalance → CompletingRebalance → Stable (→ PreparingRebalance on any
 * membership change). A rebalance completes when every known member has rejoined, or when the
 * rebalance timeout fires (members that did not rejoin are removed). A member whose session
 * times out (no heartbeat) is removed and triggers a rebalance.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes.js';
import type { JoinGroupResponse } from '../protocol/requests/join-group/index.js';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface JoinResult extends Omit<JoinGroupResponse, 'throttleTimeMs'> {}
export interface SyncResult {
  errorCode: number;
  assignment: Buffer;
}

export interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
  assignment: Buffer;
  awaitingJoin?: (r: JoinResult) => void;
  awaitingSync?: (r: SyncResult) => void;
  sessionTimer?: NodeJS.Timeout;
}

const EMPTY = Buffer.alloc(0);

export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType = '';
  protocolName = '';
  leaderId = '';
  readonly members = new Map<string, Member>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private rebalanceTimer: NodeJS.Timeout | undefined;
  private initialDelayTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly groupId: string,
    private readonly initialRebalanceDelayMs: number,
  ) {}

  join(
    req: {
      memberId: string;
      groupInstanceId: string | null;
      sessionTimeoutMs: number;
      rebalanceTimeoutMs: number;
      protocolType: string;
      protocols: { name: string; metadata: Buffer }[];
      clientId: string;
      clientHost: string;
    },
    requireKnownMemberId: boolean,
    reply: (r: JoinResult) => void,
  ): void {
    const fail = (errorCode: number, memberId = req.memberId) =>
      reply({ errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] });
    if (this.state === 'Dead') {
      fail(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      return;
    }
    if (this.members.size > 0 && req.protocolType !== this.protocolType) {
      fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
      return;
    }
    if (this.members.size > 0 && !this.supportsAny(req.protocols.map((p) => p.name))) {
      fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
      return;
    }
    let memberId = req.memberId;
    if (memberId === '') {
      memberId = `${req.clientId || 'member'}-${randomUUID()}`;
      if (requireKnownMemberId) {
        // KIP-394: hand out the id and expect the client to rejoin with it.
        this.pending.set(
          memberId,
          setTimeout(() => this.pending.delete(memberId), req.sessionTimeoutMs),
        );
        fail(ErrorCode.MEMBER_ID_REQUIRED, memberId);
        return;
      }
    } else if (!this.members.has(memberId)) {
      const t = this.pending.get(memberId);
      if (!t) {
        fail(ErrorCode.UNKNOWN_MEMBER_ID);
        return;
      }
      clearTimeout(t);
      this.pending.delete(memberId);
    }
    const existing = this.members.get(memberId);
    if (existing?.awaitingJoin) {
      existing.awaitingJoin({
        errorCode: ErrorCode.REBALANCE_IN_PROGRESS,
        generationId: -1,
        protocolName: '',
        leader: '',
        memberId,
        members: [],
      });
    }
    const member: Member = existing ?? {
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      assignment: EMPTY,
    };
    const unchanged =
      existing !== undefined &&
      sameProtocols(existing.protocols, req.protocols) &&
      this.state === 'Stable' &&
      memberId !== this.leaderId;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.protocols = req.protocols;
    if (unchanged) {
      // A follower rejoining a stable group with the same subscription gets the current generation.
      this.touch(member);
      reply(this.joinResultFor(member));
      return;
    }
    member.awaitingJoin = reply;
    clearTimeout(member.sessionTimer);
    if (!existing) {
      this.members.set(memberId, member);
      if (this.members.size === 1) this.protocolType = req.protocolType;
    }
    this.prepareRebalance();
  }

  private supportsAny(names: string[]): boolean {
    for (const n of names) {
      let all = true;
      for (const m of this.members.values()) if (!m.protocols.some((p) => p.name === n)) all = false;
      if (all) return true;
    }
    return false;
  }

  private prepareRebalance(): void {
    if (this.state === 'CompletingRebalance') {
      for (const m of this.members.values()) {
        if (m.awaitingSync) {
          m.awaitingSync({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
          m.awaitingSync = undefined;
        }
      }
    }
    if (this.state !== 'PreparingRebalance') {
      const wasEmpty = this.state === 'Empty';
      this.state = 'PreparingRebalance';
      let timeout = 0;
      for (const m of this.members.values()) timeout = Math.max(timeout, m.rebalanceTimeoutMs);
      this.rebalanceTimer = setTimeout(() => this.completeJoin(true), timeout);
      if (wasEmpty && this.initialRebalanceDelayMs > 0) {
        this.initialDelayTimer = setTimeout(() => {
          this.initialDelayTimer = undefined;
          this.maybeCompleteJoin();
        }, this.initialRebalanceDelayMs);
        return;
      }
    }
    this.maybeCompleteJoin();
  }

  private maybeCompleteJoin(): void {
    if (this.state !== 'PreparingRebalance' || this.initialDelayTimer) return;
    for (const m of this.members.values()) if (!m.awaitingJoin) return;
    this.completeJoin(false);
  }

  private completeJoin(timedOut: boolean): void {
    if (this.state !== 'PreparingRebalance') return;
    clearTimeout(this.rebalanceTimer);
    clearTimeout(this.initialDelayTimer);
    this.initialDelayTimer = undefined;
    if (timedOut) {
      for (const m of [...this.members.values()]) if (!m.awaitingJoin) this.removeMember(m);
    }
    this.generationId++;
    if (this.members.size === 0) {
      this.state = 'Empty';
      this.protocolName = '';
      this.leaderId = '';
      return;
    }
    const first = this.members.values().next().value!;
    if (!this.members.has(this.leaderId)) this.leaderId = first.memberId;
    const leader = this.members.get(this.leaderId)!;
    this.protocolName = leader.protocols.find((p) => this.allSupport(p.name))?.name ?? '';
    this.state = 'CompletingRebalance';
    for (const m of this.members.values()) {
      const reply = m.awaitingJoin;
      m.awaitingJoin = undefined;
      m.assignment = EMPTY;
      this.touch(m);
      reply?.(this.joinResultFor(m));
    }
  }

  private allSupport(name: string): boolean {
    for (const m of this.members.values()) if (!m.protocols.some((p) => p.name === name)) return false;
    return true;
  }

  private joinResultFor(m: Member): JoinResult {
    const isLeader = m.memberId === this.leaderId;
    return {
      errorCode: 0,
      generationId: this.generationId,
      protocolName: this.protocolName,
      leader: this.leaderId,
      memberId: m.memberId,
      members: isLeader
        ? [...this.members.values()].map((x) => ({
            memberId: x.memberId,
            groupInstanceId: x.groupInstanceId,
            metadata: x.protocols.find((p) => p.name === this.protocolName)?.metadata ?? EMPTY,
          }))
        : [],
    };
  }

  sync(
    memberId: string,
    generationId: number,
    assignments: { memberId: string; assignment: Buffer }[],
    reply: (r: SyncResult) => void,
  ): void {
    const m = this.members.get(memberId);
    if (!m) {
      reply({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
      return;
    }
    if (generationId !== this.generationId) {
      reply({ errorCode: ErrorCode.ILLEGAL_GENERATION, assignment: EMPTY });
      return;
    }
    if (this.state === 'PreparingRebalance') {
      reply({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      return;
    }
    this.touch(m);
    if (this.state === 'Stable') {
      reply({ errorCode: 0, assignment: m.assignment });
      return;
    }
    m.awaitingSync = reply;
    if (memberId === this.leaderId) {
      for (const x of this.members.values()) x.assignment = EMPTY;
      for (const a of assignments) {
        const x = this.members.get(a.memberId);
        if (x) x.assignment = a.assignment;
      }
      this.state = 'Stable';
      for (const x of this.members.values()) {
        const r = x.awaitingSync;
        x.awaitingSync = undefined;
        r?.({ errorCode: 0, assignment: x.assignment });
      }
    }
  }

  heartbeat(memberId: string, generationId: number): number {
    const m = this.members.get(memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    this.touch(m);
    if (this.state === 'PreparingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    return 0;
  }

  leave(memberId: string): number {
    const m = this.members.get(memberId);
    if (!m) {
      const t = this.pending.get(memberId);
      if (!t) return ErrorCode.UNKNOWN_MEMBER_ID;
      clearTimeout(t);
      this.pending.delete(memberId);
      return 0;
    }
    this.removeAndRebalance(m);
    return 0;
  }

  /** Offsets may be committed by a member of the current generation, or by anyone when empty. */
  validateCommit(memberId: string, generationId: number): number {
    if (generationId < 0 && memberId === '')
      return this.members.size === 0 ? 0 : ErrorCode.ILLEGAL_GENERATION;
    const m = this.members.get(memberId);
    if (!m) return ErrorCode.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (this.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    this.touch(m);
    return 0;
  }

  private touch(m: Member): void {
    clearTimeout(m.sessionTimer);
    m.sessionTimer = setTimeout(() => {
      if (this.members.get(m.memberId) === m && !m.awaitingJoin) this.removeAndRebalance(m);
    }, m.sessionTimeoutMs);
  }

  private removeMember(m: Member): void {
    clearTimeout(m.sessionTimer);
    this.members.delete(m.memberId);
    if (m.awaitingJoin)
      m.awaitingJoin({
        errorCode: ErrorCode.UNKNOWN_MEMBER_ID,
        generationId: -1,
        protocolName: '',
        leader: '',
        memberId: m.memberId,
        members: [],
      });
    if (m.awaitingSync) m.awaitingSync({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    if (this.leaderId === m.memberId) this.leaderId = '';
  }

  private removeAndRebalance(m: Member): void {
    this.removeMember(m);
    if (this.state === 'Empty') return;
    if (this.members.size === 0 && this.state !== 'PreparingRebalance') {
      this.state = 'PreparingRebalance';
      this.completeJoin(false);
      return;
    }
    this.prepareRebalance();
  }

  describeState(): GroupState {
    return this.state;
  }

  shutdown(): void {
    clearTimeout(this.rebalanceTimer);
    clearTimeout(this.initialDelayTimer);
    for (const t of this.pending.values()) clearTimeout(t);
    for (const m of this.members.values()) clearTimeout(m.sessionTimer);
    this.state = 'Dead';
  }
}

function sameProtocols(
  a: { name: string; metadata: Buffer }[],
  b: { name: string; metadata: Buffer }[],
): boolean {
  return (
    a.length === b.length && a.every((p, i) => p.name === b[i]!.name && p.metadata.equals(b[i]!.metadata))
  );
}
