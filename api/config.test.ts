import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('defaults to the embedded database in ./data on port 8787', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8787);
    expect(config.database).toEqual({ engine: 'pglite', dataDir: './data' });
    expect(config.rateLimit).toEqual({ perDevice: 30, perIp: 600 });
    expect(config.http).toEqual({
      headersTimeoutMs: 15_000,
      requestTimeoutMs: 120_000,
      surveyBodyTimeoutMs: 30_000,
      connectionsPerIp: 256,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes the HTTP timeouts and the per-address connection cap, 0 for no cap', () => {
    const config = loadConfig({
      SIPAS_HEADERS_TIMEOUT_MS: '5000',
      SIPAS_REQUEST_TIMEOUT_MS: '60000',
      SIPAS_SURVEY_BODY_TIMEOUT_MS: '10000',
      SIPAS_CONNECTIONS_PER_IP: '0',
    });
    expect(config.http).toEqual({
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 60_000,
      surveyBodyTimeoutMs: 10_000,
      connectionsPerIp: 0,
    });
    expect(() => loadConfig({ SIPAS_SURVEY_BODY_TIMEOUT_MS: '0' })).toThrow(
      /SIPAS_SURVEY_BODY_TIMEOUT_MS/,
    );
    expect(() =>
      loadConfig({ SIPAS_HEADERS_TIMEOUT_MS: '200000', SIPAS_REQUEST_TIMEOUT_MS: '100000' }),
    ).toThrow(/SIPAS_HEADERS_TIMEOUT_MS: at most SIPAS_REQUEST_TIMEOUT_MS/);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h:5432/d', PORT: '9000' });
    expect(config.database).toEqual({ engine: 'postgres', databaseUrl: 'postgres://u@h:5432/d' });
    expect(config.publicUrl).toBe('http://localhost:9000');
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ SIPAS_RATE_LIMIT_IP: '-1' })).toThrow(/SIPAS_RATE_LIMIT_IP/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
