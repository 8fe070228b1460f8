import { Histogram, Registry } from 'prom-client';
import { RouteHistogram } from './route-histogram.js';

const BOUNDS = [0.001, 0.01, 0.1, 1];
const NAME = 'http_request_duration_seconds';
const HELP = 'HTTP requests';

/** The same observations through prom-client's Histogram and through ours, each in its own registry. */
function both(observations: [method: string, route: string, status: number, seconds: number][]) {
  const theirs = new Registry();
  const reference = new Histogram({
    name: NAME,
    help: HELP,
    labelNames: ['method', 'route', 'status_code'],
    buckets: BOUNDS,
    registers: [theirs],
  });
  const ours = new Registry();
  const histogram = new RouteHistogram(NAME, HELP, BOUNDS, ours);
  for (const [method, route, status, seconds] of observations) {
    reference.observe({ method, route, status_code: String(status) }, seconds);
    histogram.observe(method, route, status, seconds);
  }
  return { theirs, ours, histogram };
}

const OBSERVATIONS: [string, string, number, number][] = [
  ['GET', '/v1/taxonomy/:kind', 200, 0.0004],
  ['GET', '/v1/taxonomy/:kind', 200, 0.001], // on a bound: counted in that bucket
  ['GET', '/v1/taxonomy/:kind', 200, 0.05],
  ['GET', '/v1/taxonomy/:kind', 304, 0.0002],
  ['GET', '/v1/taxonomy/:kind', 200, 7], // above every bound: in +Inf only
  ['POST', '/v1/tasks/:type', 202, 0.02],
  ['GET', '(unmatched)', 404, 0.0001],
  ['GET', '/a "quoted" \\ route', 200, 0.2], // escaped as prom-client escapes it
];

describe('RouteHistogram', () => {
  it("exposes what prom-client's Histogram exposes for the same observations", async () => {
    const { theirs, ours } = both(OBSERVATIONS);
    const lines = (text: string) => text.split('\n').filter(Boolean).sort();
    const expected = await theirs.metrics();
    expect(lines(await ours.metrics())).toEqual(lines(expected));
    // Not vacuous: five series of four bounds, +Inf, sum and count, under HELP and TYPE.
    expect(lines(expected)).toHaveLength(2 + 5 * 7);
  });

  it('writes one series as prom-client does, line for line', async () => {
    const { theirs, ours } = both([['GET', '/x', 200, 0.005]]);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain(
      `${NAME}_bucket{le="0.01",method="GET",route="/x",status_code="200"} 1`,
    );
  });

  it("gives the registry's JSON the labels of each sample in one object", async () => {
    const { theirs, ours } = both(OBSERVATIONS.slice(0, 3));
    const [reference] = await theirs.getMetricsAsJSON();
    const [json] = await ours.getMetricsAsJSON();
    expect(json).toMatchObject({ name: NAME, help: HELP, type: 'histogram', aggregator: 'sum' });
    type Sample = { metricName: string; labels: object; value: number };
    // prom-client adds `exemplar: null` to bucket samples; what a consumer reads is compared.
    const samples = (metric: typeof json) =>
      (metric as unknown as { values: Sample[] }).values
        .map(({ metricName, labels, value }) => JSON.stringify({ metricName, labels, value }))
        .sort();
    expect(samples(json)).toEqual(samples(reference));
  });

  it('starts again from nothing when the registry resets its metrics', async () => {
    const { ours, histogram } = both(OBSERVATIONS);
    ours.resetMetrics();
    expect(await ours.metrics()).not.toContain('_count');
    histogram.observe('GET', '/x', 200, 0.5);
    expect(await ours.metrics()).toContain(`${NAME}_count{method="GET",route="/x",status_code="200"} 1`);
  });
});
