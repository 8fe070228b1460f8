import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

describe('operations config', () => {
  it('defaults to open metrics, docs on, and a read-only Bull Board', () => {
    expect(loadConfig({}).ops).toEqual({
      metricsToken: undefined,
      apiDocs: true,
      bullBoard: true,
      bullBoardReadOnly: true,
    });
  });

  it('reads the token and the switches', () => {
    const ops = loadConfig({
      METRICS_TOKEN: 'a-long-metrics-token-42',
      API_DOCS_ENABLED: 'false',
      BULL_BOARD_READ_ONLY: 'false',
    }).ops;
    expect(ops).toMatchObject({
      metricsToken: 'a-long-metrics-token-42',
      apiDocs: false,
      bullBoardReadOnly: false,
    });
  });

  it('refuses a short token without echoing it', () => {
    let problems: string[] = [];
    try {
      loadConfig({ METRICS_TOKEN: 'short-tok' });
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual(['METRICS_TOKEN: at least 16 characters']);
  });
});
