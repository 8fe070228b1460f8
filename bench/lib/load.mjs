// One autocannon run in a process of its own: `node bench/lib/load.mjs '<options as JSON>'` prints the
// result as JSON. A load generator that lives through a whole benchmark slows down as it goes (V8 state
// left by earlier runs and by the idle minutes between them: its CPU a request rose from 13.3-13.6 µs to
// 14.8-15.7 µs against one bare Fastify server), and the baseline, which the generator paces, loses the
// most; a fresh one per run measures every case with the same client.
import autocannon from 'autocannon';

const result = await autocannon(JSON.parse(process.argv[2]));
process.stdout.write(JSON.stringify(result));
