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
