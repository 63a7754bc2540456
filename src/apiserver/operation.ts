// One allocation transaction for both of a Service's ranges (the apiserver has it twice, as
// portallocator/operation.go and the ipallocator's Transaction; kubesim has it once): allocations
// happen at once, releases are deferred until commit, and a rollback gives back what was taken.
// A dry run (--dry-run=server) touches no range and answers as the apiserver's dry-run path does.

/** The allocator calls an operation makes. */
export interface Range<T> {
  allocate(v: T): void;
  allocateNext(): T;
  release(v: T): void;
}

/** What a dry run checks and answers instead of allocating; `taken` is what it answered so far. */
export interface DryRunRange<T> {
  allocate(v: T, taken: T[]): void;
  allocateNext(taken: T[]): T;
}

export class AllocationOperation<T> {
  private allocated: T[] = [];
  private deferred: T[] = [];
  constructor(
    private range: Range<T>,
    private dryRun?: DryRunRange<T>,
  ) {}

  allocate(v: T): void {
    if (this.dryRun) this.dryRun.allocate(v, this.allocated);
    else this.range.allocate(v);
    this.allocated.push(v);
  }
  allocateNext(): T {
    const v = this.dryRun ? this.dryRun.allocateNext(this.allocated) : this.range.allocateNext();
    this.allocated.push(v);
    return v;
  }
  releaseDeferred(v: T): void {
    this.deferred.push(v);
  }
  commit(): void {
    if (!this.dryRun) for (const v of this.deferred) this.range.release(v);
    this.allocated = [];
    this.deferred = [];
  }
  rollback(): void {
    if (!this.dryRun) for (const v of this.allocated) this.range.release(v);
    this.allocated = [];
    this.deferred = [];
  }
}
