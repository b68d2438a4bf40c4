// Throttle: runs an async function at most once per `minMs`, however often it is poked. A poke
// while a run is due waits for that run; a poke during a run schedules one more run after it
// (never two at once), so the last change is always followed by a run and nothing is lost.
// The first poke after a quiet period runs at once.
//
// `clock` ({now, setTimeout, clearTimeout}) is injectable for tests; the browser's by default.

const BROWSER_CLOCK = {
  now: () => Date.now(),
  setTimeout: (f, ms) => setTimeout(f, ms),
  clearTimeout: (t) => clearTimeout(t),
};

export class Throttle {
  constructor(minMs, fn, clock = BROWSER_CLOCK) {
    this.minMs = minMs;
    this.fn = fn;
    this.clock = clock;
    this.last = -Infinity; // when the last run started
    this.timer = null;
    this.running = false;
    this.again = false; // poked during a run
  }

  poke() {
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer != null) return;
    const wait = Math.max(0, this.last + this.minMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => this.fire(), wait);
  }

  // Drops a scheduled run (a run in progress finishes).
  cancel() {
    if (this.timer != null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.again = false;
  }

  async fire() {
    this.timer = null;
    this.running = true;
    this.last = this.clock.now();
    try {
      await this.fn();
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.poke();
      }
    }
  }
}
