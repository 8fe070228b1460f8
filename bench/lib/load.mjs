// One autocannon run in a process of its own: `node bench/lib/load.mjs '<options as JSON>'` prints the
// result as JSON. A load generator that lives through a whole benchmark slows down as it goes (V8 state
// left by earlier runs and by the idle minutes between them: measured up to 18% fewer req/s against the
// same server), and the baseline, which the generator limits, would lose most; a fresh one per run
// measures every case with the same client.
import autocannon from 'autocannon';

const result = await autocannon(JSON.parse(process.argv[2]));
process.stdout.write(JSON.stringify(result));
