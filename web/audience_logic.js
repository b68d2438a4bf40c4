// audience_logic: the audience page's rules that need no browser — what a question's state
// means to the person who asked it, a wait in words, and what the browser remembers (its
// participant id, the ids of its questions, the questions it voted for). Run in Node by
// tests/browser/client_logic.test.mjs.

// The words for one's own question, by its status (docs/api.md "Question object").
export function ownStatusWords(status) {
  switch (status) {
    case 'pending':
    case 'held':
      return 'Waiting for review';
    case 'approved':
      return 'Approved: everyone can see it and vote for it';
    case 'answered':
      return 'Answered';
    case 'rejected':
    case 'auto_rejected':
      return 'Not published';
    default:
      return 'Sent';
  }
}

// True while a moderator may still change the outcome by reviewing it.
export function isWaiting(status) {
  return status === 'pending' || status === 'held';
}

// A Retry-After (seconds) in words: "in 1 second", "in 20 seconds", "in about a minute",
// "in about 3 minutes".
export function retryWords(seconds) {
  const s = Math.max(1, Math.round(Number(seconds) || 1));
  if (s === 1) return 'in 1 second';
  if (s < 60) return `in ${s} seconds`;
  const m = Math.round(s / 60);
  return m <= 1 ? 'in about a minute' : `in about ${m} minutes`;
}

// 128 random bits in hex. crypto.getRandomValues, not randomUUID: the page is often served
// over plain HTTP on a venue's network, where randomUUID (secure contexts only) is missing.
export function randomParticipantId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const MAX_REMEMBERED = 100; // the server answers at most 100 ids at a time

// What this browser remembers for one event, in `storage` (localStorage, or a stand-in).
export class Memory {
  constructor(storage, slug, randomId = randomParticipantId) {
    this.storage = storage;
    this.key = `tribune.audience.${slug}`;
    let participant = read(storage, 'tribune.participant');
    if (typeof participant !== 'string' || !participant) {
      participant = randomId();
      write(storage, 'tribune.participant', participant);
    }
    this.participant = participant;
    const saved = read(storage, this.key) || {};
    this.asked = Array.isArray(saved.asked) ? saved.asked.filter(Number.isInteger) : [];
    this.voted = new Set(Array.isArray(saved.voted) ? saved.voted.filter(Number.isInteger) : []);
  }

  remember(id) {
    if (!this.asked.includes(id)) this.asked.push(id);
    if (this.asked.length > MAX_REMEMBERED) this.asked.splice(0, this.asked.length - MAX_REMEMBERED);
    this.save();
  }

  markVoted(id) {
    this.voted.add(id);
    this.save();
  }

  save() {
    write(this.storage, this.key, { asked: this.asked, voted: [...this.voted] });
  }
}

function read(storage, key) {
  try {
    const v = storage.getItem(key);
    if (v == null) return null;
    return key === 'tribune.participant' ? v : JSON.parse(v);
  } catch {
    return null;
  }
}

function write(storage, key, value) {
  try {
    storage.setItem(key, typeof value === 'string' ? value : JSON.stringify(value));
  } catch {
    // Private mode or a full storage: the page still works, it forgets on reload.
  }
}
