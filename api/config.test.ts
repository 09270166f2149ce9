import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('defaults to the embedded database in ./data on port 8787', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8787);
    expect(config.database).toEqual({ engine: 'pglite', dataDir: './data' });
    expect(config.rateLimit).toEqual({ perDevice: 30, perIp: 600 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h:5432/d', PORT: '9000' });
    expect(config.database).toEqual({
      engine: 'postgres',
      databaseUrl: 'postgres://u@h:5432/d',
      statementTimeoutMs: 30_000,
      connectTimeoutMs: 5_000,
    });
    expect(config.publicUrl).toBe('http://localhost:9000');
  });

  it('bounds statements and connections to PostgreSQL as configured', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@h:5432/d',
      SIPAS_DB_STATEMENT_TIMEOUT_MS: '0',
      SIPAS_DB_CONNECT_TIMEOUT_MS: '750',
    });
    expect(config.database).toMatchObject({ statementTimeoutMs: 0, connectTimeoutMs: 750 });
    expect(() => loadConfig({ SIPAS_DB_CONNECT_TIMEOUT_MS: '0' })).toThrow(
      /SIPAS_DB_CONNECT_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ SIPAS_DB_STATEMENT_TIMEOUT_MS: '1.5' })).toThrow(
      /SIPAS_DB_STATEMENT_TIMEOUT_MS/,
    );
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ SIPAS_RATE_LIMIT_IP: '-1' })).toThrow(/SIPAS_RATE_LIMIT_IP/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });
});
