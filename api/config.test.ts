import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadDatabaseConfig, loadReportsConfig } from './config.ts';

describe('configuration', () => {
  it('defaults to the embedded database in ./data on port 8787', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8787);
    expect(config.database).toEqual({ engine: 'pglite', dataDir: './data' });
    expect(config.rateLimit).toEqual({
      perDevice: 30,
      perIp: 600,
      ceilingPerDevice: 300,
      ceilingPerIp: 6000,
    });
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

  it('keeps answers under a replaced QR code valid for 7 days unless set, 0 for not at all', () => {
    const day = 24 * 60 * 60 * 1000;
    expect(loadConfig({}).revokedTokenGraceMs).toBe(7 * day);
    expect(loadConfig({ SIPAS_REVOKED_TOKEN_GRACE_DAYS: '30' }).revokedTokenGraceMs).toBe(30 * day);
    expect(loadConfig({ SIPAS_REVOKED_TOKEN_GRACE_DAYS: '0' }).revokedTokenGraceMs).toBe(0);
    expect(() => loadConfig({ SIPAS_REVOKED_TOKEN_GRACE_DAYS: '1.5' })).toThrow(
      /SIPAS_REVOKED_TOKEN_GRACE_DAYS/,
    );
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

  it('knows when QR codes would point at localhost: no public URL, listening beyond loopback', () => {
    const warned = (env: Record<string, string>) => loadConfig(env).qrPointsAtLocalhost;
    expect(warned({})).toBe(true);
    expect(warned({ HOST: '192.168.1.10' })).toBe(true);
    expect(warned({ HOST: '::' })).toBe(true);
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) {
      expect(warned({ HOST: host })).toBe(false);
    }
    expect(warned({ SIPAS_PUBLIC_URL: 'https://sipas.example.vn' })).toBe(false);
    // Set explicitly, even to localhost, it is the operator's choice.
    expect(warned({ SIPAS_PUBLIC_URL: 'http://localhost:8787' })).toBe(false);
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

  it('flags compared groups reorganised below a coverage of 0.8 unless set, server and command alike', () => {
    expect(loadConfig({}).reports).toEqual({ reorganisedBelow: 0.8 });
    expect(loadConfig({ SIPAS_REORGANISED_BELOW: '0.5' }).reports).toEqual({
      reorganisedBelow: 0.5,
    });
    expect(loadReportsConfig({ SIPAS_REORGANISED_BELOW: '' })).toEqual({ reorganisedBelow: 0.8 });
    expect(() => loadReportsConfig({ SIPAS_REORGANISED_BELOW: '80' })).toThrow(
      /SIPAS_REORGANISED_BELOW/,
    );
  });

  it('stops on a bad value, naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ SIPAS_RATE_LIMIT_IP: '-1' })).toThrow(/SIPAS_RATE_LIMIT_IP/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
  });

  it('refuses submissions over a ceiling, ten times each limit unless set, 0 for off', () => {
    expect(
      loadConfig({ SIPAS_RATE_LIMIT_DEVICE: '5', SIPAS_RATE_LIMIT_IP: '0' }).rateLimit,
    ).toEqual({ perDevice: 5, perIp: 0, ceilingPerDevice: 50, ceilingPerIp: 0 });
    expect(
      loadConfig({ SIPAS_RATE_CEILING_DEVICE: '0', SIPAS_RATE_CEILING_IP: '700' }).rateLimit,
    ).toEqual({ perDevice: 30, perIp: 600, ceilingPerDevice: 0, ceilingPerIp: 700 });
    // Under its limit, a ceiling would refuse people before quarantining anyone.
    expect(() => loadConfig({ SIPAS_RATE_CEILING_IP: '599' })).toThrow(/SIPAS_RATE_CEILING_IP/);
    expect(() => loadConfig({ SIPAS_RATE_CEILING_DEVICE: 'x' })).toThrow(
      /SIPAS_RATE_CEILING_DEVICE/,
    );
  });

  it('trusts no proxy unless SIPAS_TRUSTED_PROXIES lists addresses or CIDR blocks', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(
      loadConfig({ SIPAS_TRUSTED_PROXIES: ' 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8 ' }).trustedProxies,
    ).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(() => loadConfig({ SIPAS_TRUSTED_PROXIES: '10.0.0.0/8, nginx' })).toThrow(
      /SIPAS_TRUSTED_PROXIES/,
    );
    expect(() => loadConfig({ SIPAS_TRUSTED_PROXIES: '10.0.0.0/33' })).toThrow(
      /SIPAS_TRUSTED_PROXIES/,
    );
  });

  it('gives the command line the database alone, by the same rules and in the same words', () => {
    expect(loadDatabaseConfig({})).toEqual({ engine: 'pglite', dataDir: './data' });
    // The server's other variables are not the command line's concern.
    expect(loadDatabaseConfig({ SIPAS_DATA_DIR: '/srv/sipas', PORT: 'eighty' })).toEqual({
      engine: 'pglite',
      dataDir: '/srv/sipas',
    });
    expect(
      loadDatabaseConfig({
        DATABASE_URL: 'postgres://u@h:5432/d',
        SIPAS_DB_CONNECT_TIMEOUT_MS: '0',
      }),
    ).toEqual({ engine: 'postgres', databaseUrl: 'postgres://u@h:5432/d' });
    const refusal = (load: (env: NodeJS.ProcessEnv) => unknown) => {
      try {
        load({ DATABASE_URL: 'mysql://x' });
      } catch (error) {
        return error instanceof ConfigError ? error.message : error;
      }
      return undefined;
    };
    expect(refusal(loadDatabaseConfig)).toBe(
      'Bad configuration:\n  DATABASE_URL: a postgres:// connection URL',
    );
    expect(refusal(loadConfig)).toBe(refusal(loadDatabaseConfig));
  });

  it('takes DATABASE_READ_URL, a postgres:// standby, only beside DATABASE_URL, server and command alike', () => {
    const env = {
      DATABASE_URL: 'postgres://u@primary:5432/d',
      DATABASE_READ_URL: 'postgresql://u@standby:5432/d',
    };
    expect(loadConfig(env).database).toMatchObject({
      engine: 'postgres',
      databaseUrl: 'postgres://u@primary:5432/d',
      readUrl: 'postgresql://u@standby:5432/d',
    });
    expect(loadDatabaseConfig(env)).toEqual({
      engine: 'postgres',
      databaseUrl: 'postgres://u@primary:5432/d',
      readUrl: 'postgresql://u@standby:5432/d',
    });
    // Unset, or set empty: the analysis reads run on the primary.
    for (const unset of [{}, { DATABASE_READ_URL: '' }]) {
      const only = { DATABASE_URL: env.DATABASE_URL, ...unset };
      expect(loadConfig(only).database).not.toHaveProperty('readUrl');
      expect(loadDatabaseConfig(only)).not.toHaveProperty('readUrl');
    }
    for (const load of [loadConfig, loadDatabaseConfig]) {
      expect(() => load({ ...env, DATABASE_READ_URL: 'mysql://x' })).toThrow(
        /DATABASE_READ_URL: a postgres:\/\/ connection URL/,
      );
      // The embedded engine has no standby.
      expect(() => load({ DATABASE_READ_URL: env.DATABASE_READ_URL })).toThrow(
        /DATABASE_READ_URL: a standby of DATABASE_URL: set only with it/,
      );
    }
  });

  it('takes DATABASE_URL or SIPAS_DATA_DIR set empty as unset', () => {
    const embedded = { engine: 'pglite', dataDir: './data' };
    expect(loadConfig({ DATABASE_URL: '', SIPAS_DATA_DIR: '' }).database).toEqual(embedded);
    expect(loadDatabaseConfig({ DATABASE_URL: '', SIPAS_DATA_DIR: '' })).toEqual(embedded);
  });

  it('turns single sign-on on with an issuer and a client id, its callback under the public URL', () => {
    expect(loadConfig({}).oidc).toBeNull();
    expect(
      loadConfig({
        SIPAS_PUBLIC_URL: 'https://sipas.brvt.gov.vn/',
        SIPAS_OIDC_ISSUER: 'https://sso.brvt.gov.vn/realms/staff',
        SIPAS_OIDC_CLIENT_ID: 'sipas',
        SIPAS_OIDC_CLIENT_SECRET: 's3cret',
      }).oidc,
    ).toEqual({
      issuer: 'https://sso.brvt.gov.vn/realms/staff',
      clientId: 'sipas',
      clientSecret: 's3cret',
      loginClaim: 'preferred_username',
      redirectUri: 'https://sipas.brvt.gov.vn/api/v1/session/oidc/callback',
    });
    expect(
      loadConfig({
        SIPAS_OIDC_ISSUER: 'http://127.0.0.1:9000',
        SIPAS_OIDC_CLIENT_ID: 'sipas',
        SIPAS_OIDC_CLIENT_SECRET: '',
        SIPAS_OIDC_LOGIN_CLAIM: 'email',
      }).oidc,
    ).toEqual({
      issuer: 'http://127.0.0.1:9000',
      clientId: 'sipas',
      loginClaim: 'email',
      redirectUri: 'http://localhost:8787/api/v1/session/oidc/callback',
    });
  });

  it('refuses half a single sign-on configuration and a plain-HTTP provider elsewhere', () => {
    expect(() => loadConfig({ SIPAS_OIDC_ISSUER: 'https://sso.example.vn' })).toThrow(
      'SIPAS_OIDC_CLIENT_ID: SIPAS_OIDC_ISSUER and SIPAS_OIDC_CLIENT_ID are set together',
    );
    expect(() => loadConfig({ SIPAS_OIDC_CLIENT_ID: 'sipas' })).toThrow(
      'SIPAS_OIDC_ISSUER: SIPAS_OIDC_ISSUER and SIPAS_OIDC_CLIENT_ID are set together',
    );
    expect(() =>
      loadConfig({ SIPAS_OIDC_ISSUER: 'http://sso.example.vn', SIPAS_OIDC_CLIENT_ID: 'sipas' }),
    ).toThrow('SIPAS_OIDC_ISSUER: an https:// URL (http:// only on localhost)');
    expect(() =>
      loadConfig({
        SIPAS_OIDC_ISSUER: 'https://sso.example.vn',
        SIPAS_OIDC_CLIENT_ID: 'sipas',
        SIPAS_OIDC_LOGIN_CLAIM: 'user name',
      }),
    ).toThrow('SIPAS_OIDC_LOGIN_CLAIM: a claim name');
  });
});
