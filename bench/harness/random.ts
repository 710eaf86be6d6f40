// Seeded pseudo-random data for fixtures (mulberry32), so generated repositories are byte-for-byte reproducible.

const WORDS = ("lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore " +
  "et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea " +
  "commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur").split(" ");

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return this.next() % n;
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.next() & 0xff;
    return out;
  }

  /** A line of roughly `width` characters of words. */
  line(width = 64): string {
    const words: string[] = [];
    let length = 0;
    while (length < width) {
      const word = WORDS[this.below(WORDS.length)]!;
      words.push(word);
      length += word.length + 1;
    }
    return words.join(" ");
  }

  lines(count: number, width?: number): string[] {
    return Array.from({ length: count }, () => this.line(width));
  }
}
