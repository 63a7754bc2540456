// The NodePort allocator of the apiserver (pkg/registry/core/service/portallocator, allocator/bitmap.go)
// and its allocation operation (portallocator/operation.go, here ./operation.ts). Pure: the set of ports in use is derived
// by the caller from the stored Services and handed to the constructor.
import { invalid, type FieldError } from '../api/errors';
import type { Rand } from '../util/rand';
import { AllocationOperation } from './operation';

export type AllocErrorReason = 'full' | 'allocated' | 'not-in-range';

/** An allocator's refusal; `message` is the apiserver's own text (ErrFull, ErrAllocated, ErrNotInRange). */
export class AllocError extends Error {
  constructor(public reason: AllocErrorReason, message: string) {
    super(message);
  }
}

/**
 * A range of `max` items split in two bands (KEP-3070): offsets below `offset` form the static band,
 * which random allocation uses only once the upper (dynamic) band is full, so users who pick values
 * by hand from the low end rarely collide with automatic ones.
 */
export class OffsetBitmap {
  private used = new Set<number>();
  constructor(readonly max: number, readonly offset: number, private rand: Rand) {}

  has(i: number): boolean {
    return this.used.has(i);
  }
  /** false when already taken (the caller has checked the bounds). */
  allocate(i: number): boolean {
    if (this.used.has(i)) return false;
    this.used.add(i);
    return true;
  }
  release(i: number): void {
    this.used.delete(i);
  }
  free(): number {
    return this.max - this.used.size;
  }
  /** randomScanStrategyWithOffset: a random start in the upper band, scanning forward with wrap-around. */
  allocateNext(): number | undefined {
    if (this.used.size >= this.max) return undefined;
    const upper = this.max - this.offset;
    const hit = this.scan(this.offset, upper);
    if (hit !== undefined) return hit;
    return this.scan(0, this.offset);
  }
  private scan(from: number, size: number): number | undefined {
    if (size <= 0) return undefined;
    const start = this.rand.int(size);
    for (let i = 0; i < size; i++) {
      const at = from + ((start + i) % size);
      if (this.allocate(at)) return at;
    }
    return undefined;
  }
}

/** min(max(16, size/32), 128), 0 for ranges of 16 or fewer (portallocator calculateRangeOffset). */
export function nodePortRangeOffset(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

export class NodePortAllocator {
  readonly base: number;
  readonly size: number;
  private bits: OffsetBitmap;

  /** range: first and last port, inclusive ([30000, 32767]). Ports in use outside the range are ignored. */
  constructor(range: [number, number], inUse: Iterable<number>, rand: Rand) {
    this.base = range[0];
    this.size = Math.max(0, range[1] - range[0] + 1);
    this.bits = new OffsetBitmap(this.size, nodePortRangeOffset(this.size), rand);
    for (const p of inUse) if (this.contains(p)) this.bits.allocate(p - this.base);
  }

  /** net.PortRange.String(): "30000-32767". */
  rangeString(): string {
    return this.size === 0 ? '' : `${this.base}-${this.base + this.size - 1}`;
  }
  contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.base && port < this.base + this.size;
  }
  has(port: number): boolean {
    return this.contains(port) && this.bits.has(port - this.base);
  }
  free(): number {
    return this.bits.free();
  }
  /** Reserve a port the user asked for; throws AllocError. */
  allocate(port: number): void {
    if (!this.contains(port)) {
      throw new AllocError('not-in-range', `provided port is not in the valid range. The range of valid ports is ${this.rangeString()}`);
    }
    if (!this.bits.allocate(port - this.base)) throw new AllocError('allocated', 'provided port is already allocated');
  }
  /** A random free port, preferring the dynamic band (30086-32767 by default); throws AllocError when full. */
  allocateNext(): number {
    const i = this.bits.allocateNext();
    if (i === undefined) throw new AllocError('full', 'range is full');
    return this.base + i;
  }
  /** Releasing a free or out-of-range port is a no-op, as in the apiserver. */
  release(port: number): void {
    if (this.contains(port)) this.bits.release(port - this.base);
  }
}

/**
 * One request's node-port changes (operation.go): allocations happen at once (leaking is better than
 * double-allocating), releases wait for commit(), rollback() undoes the allocations. In dry-run
 * nothing is touched and allocateNext() hands out placeholder ports 32769, 32770, … as the apiserver does.
 */
/** An allocation transaction over the node ports; a dry run checks only for a clash, not the range, and answers 32769, 32770, … */
export class PortAllocationOperation extends AllocationOperation<number> {
  constructor(pa: NodePortAllocator, dryRun = false) {
    super(
      pa,
      dryRun
        ? {
            allocate: (port, taken) => {
              if (pa.has(port) || taken.includes(port)) throw new AllocError('allocated', 'provided port is already allocated');
            },
            allocateNext: (taken) => (taken.length === 0 ? 32769 : Math.max(...taken) + 1),
          }
        : undefined,
    );
  }
}

/** `spec.ports[0].nodePort: Invalid value: 30009: provided port is already allocated` */
export function nodePortFieldError(index: number, port: number, err: AllocError): FieldError {
  return invalid(`spec.ports[${index}].nodePort`, port, err.message);
}
