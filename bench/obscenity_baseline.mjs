// The lexicon baseline for bench/classify_throughput.sh: reads text lines on stdin (JSON
// objects with "text", or plain text, like `tribune classify`) and writes one JSON line
// per input with the obscenity matcher's verdict and matched spans, in order.
import { createInterface } from 'node:readline';
import {
  RegExpMatcher,
  englishDataset,
  englishRecommendedTransformers,
} from 'obscenity';

const matcher = new RegExpMatcher({
  ...englishDataset.build(),
  ...englishRecommendedTransformers,
});

const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
const out = [];
for await (const line of rl) {
  let text = line;
  if (line.trimStart().startsWith('{')) {
    try {
      text = JSON.parse(line).text ?? '';
    } catch {
      out.push('{"error":{"code":"invalid_json"}}');
      continue;
    }
  }
  const matches = matcher.getAllMatches(text, true);
  out.push(JSON.stringify({
    profane: matches.length > 0,
    spans: matches.map((m) => ({ start: m.startIndex, end: m.endIndex + 1 })),
  }));
  if (out.length >= 256) {
    process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  }
}
if (out.length) process.stdout.write(out.join('\n') + '\n');
