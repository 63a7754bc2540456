// A small seeded generator (sfc32) whose 4-word state is saved in the cluster file after every
// command, so a cluster created with a seed makes the same choices on every machine.
export class Rand {
  s: [number, number, number, number];
  constructor(state: number[]) {
    this.s = [state[0] >>> 0, state[1] >>> 0, state[2] >>> 0, state[3] >>> 0];
  }
  static fromSeed(seed: string | number): Rand {
    // Mix the seed text into 4 words (cyrb128), then warm the generator up.
    const str = String(seed);
    let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
    for (let i = 0; i < str.length; i++) {
      const k = str.charCodeAt(i);
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
    h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
    h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
    h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
    const r = new Rand([(h1 ^ h2 ^ h3 ^ h4), h2 ^ h1, h3 ^ h1, h4 ^ h1]);
    for (let i = 0; i < 15; i++) r.next();
    return r;
  }
  /** uint32 */
  next(): number {
    let [a, b, c, d] = this.s;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.s = [a >>> 0, b >>> 0, c >>> 0, d >>> 0];
    return t >>> 0;
  }
  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor((this.next() / 4294967296) * n);
  }
  float(): number {
    return this.next() / 4294967296;
  }
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += hex8(this.next());
    return s.length === n ? s : s.slice(0, n);
  }
  /** RFC 4122 version 4 UUID, as the apiserver gives metadata.uid. */
  uuid(): string {
    const a = hex8(this.next());
    const b = hex8(this.next());
    const c = hex8(this.next());
    const d = hex8(this.next());
    const variant = '89ab'[parseInt(c[0], 16) & 3];
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
  /** apimachinery's rand.String alphabet: consonants and digits without look-alikes. */
  suffix(n: number): string {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

function hex8(n: number): string {
  const s = n.toString(16);
  return s.length === 8 ? s : '00000000'.slice(s.length) + s;
}
