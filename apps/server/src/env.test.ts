import { describe, expect, it } from 'vitest';
import { EnvError, readEnv } from './env.js';

describe('readEnv', () => {
  it('binds to loopback by default (the embedded defaults run without a token) and to HOST when set', () => {
    expect(readEnv({}).host).toBe('127.0.0.1');
    expect(readEnv({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('rejects a port that is not one', () => {
    expect(() => readEnv({ PORT: '70000' })).toThrow(EnvError);
    expect(() => readEnv({ PORT: 'http' })).toThrow(/PORT must be a port number/);
  });
});
