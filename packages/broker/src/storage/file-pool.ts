/**
 * Open log files, shared by every segment of the process and capped: a segment's `.log` is opened on
 * first use and the least recently used ones are closed when the cap is reached, so the number of
 * descriptors no longer grows with partitions and segments (hundreds of partitions used to exhaust
 * them, and the broker could then not even restart). A file being fsynced in the background is pinned
 * and never closed under it.
 */
import fs from 'node:fs';

interface Handle {
  readonly fd: number;
  pins: number;
}

export class FilePool {
  /** Map order is recency: a hit moves the entry to the end. */
  private readonly handles = new Map<string, Handle>();
  /** Files closed while pinned, by descriptor: closed when their last pin goes. */
  private readonly orphans = new Map<number, Handle>();

  constructor(readonly capacity: number) {}

  get openCount(): number {
    return this.handles.size;
  }

  /** The descriptor of `file` (read-write, created when missing). */
  fd(file: string): number {
    return this.handle(file).fd;
  }

  /** Like `fd`, and the file stays open until `unpin`. */
  pin(file: string): number {
    const h = this.handle(file);
    h.pins++;
    return h.fd;
  }

  unpin(file: string, fd: number): void {
    const h = this.handles.get(file);
    if (h && h.fd === fd) {
      h.pins--;
      return;
    }
    const orphan = this.orphans.get(fd);
    if (orphan && --orphan.pins === 0) {
      this.orphans.delete(fd);
      fs.closeSync(fd);
    }
  }

  close(file: string): void {
    const h = this.handles.get(file);
    if (!h) return;
    this.handles.delete(file);
    if (h.pins > 0) this.orphans.set(h.fd, h);
    else fs.closeSync(h.fd);
  }

  private handle(file: string): Handle {
    let h = this.handles.get(file);
    if (h) {
      this.handles.delete(file);
      this.handles.set(file, h);
      return h;
    }
    this.evict();
    h = { fd: fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT), pins: 0 };
    this.handles.set(file, h);
    return h;
  }

  private evict(): void {
    if (this.handles.size < this.capacity) return;
    for (const [file, h] of this.handles) {
      if (h.pins > 0) continue;
      this.handles.delete(file);
      fs.closeSync(h.fd);
      if (this.handles.size < this.capacity) return;
    }
  }
}

/** The process-wide pool segments use (SLUICE_BROKER_OPEN_FILES, default 512 open logs). */
export const segmentFiles = new FilePool(Number(process.env.SLUICE_BROKER_OPEN_FILES ?? 512));
