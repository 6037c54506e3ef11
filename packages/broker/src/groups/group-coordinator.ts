/** All groups of the broker plus their committed offsets. */
import { ErrorCode } from '../protocol/error-codes.js';
import { Group } from './group.js';
import type { CommittedOffset, OffsetStore } from './offset-store.js';

export class GroupCoordinator {
  readonly groups = new Map<string, Group>();

  constructor(
    readonly offsets: OffsetStore,
    private readonly initialRebalanceDelayMs: number,
  ) {}

  getOrCreate(groupId: string): Group {
    let g = this.groups.get(groupId);
    if (!g) {
      g = new Group(groupId, this.initialRebalanceDelayMs);
      this.groups.set(groupId, g);
    }
    return g;
  }
  get(groupId: string): Group | undefined {
    return this.groups.get(groupId);
  }

  commit(
    groupId: string,
    memberId: string,
    generationId: number,
    entries: { topic: string; partition: number; committed: CommittedOffset }[],
  ): number {
    const g = this.groups.get(groupId);
    if (g) {
      const code = g.validateCommit(memberId, generationId);
      if (code !== 0) return code;
    } else if (generationId >= 0) {
      return ErrorCode.ILLEGAL_GENERATION;
    }
    this.offsets.commit(groupId, entries);
    return 0;
  }

  listGroups(): { groupId: string; protocolType: string }[] {
    const out = new Map<string, string>();
    for (const id of this.offsets.groupIds()) out.set(id, '');
    for (const [id, g] of this.groups) if (g.state !== 'Dead') out.set(id, g.protocolType);
    return [...out].map(([groupId, protocolType]) => ({ groupId, protocolType }));
  }

  delete(groupId: string): number {
    const g = this.groups.get(groupId);
    if (!g && !this.offsets.has(groupId)) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (g && g.members.size > 0) return ErrorCode.NON_EMPTY_GROUP;
    g?.shutdown();
    this.groups.delete(groupId);
    if (this.offsets.has(groupId)) this.offsets.deleteGroup(groupId);
    return 0;
  }

  shutdown(): void {
    for (const g of this.groups.values()) g.shutdown();
  }
}
