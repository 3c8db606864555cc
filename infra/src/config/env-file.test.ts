import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { environmentWithFile, parseEnvFile, takeEnvFileArgument } from './env-file.js';
import { ConfigurationError } from './parse-config.js';

describe('.env files', () => {
  it('reads KEY=value, export, comments, quotes and escapes', () => {
    const text = ['# shared by every service', 'PORT=9000', 'export HOST=0.0.0.0', "KAFKA_BROKERS='a:9092,b:9092'", 'SPOOR_PUBLIC_URL="https://t.example.com" # origin', 'MULTI="one\\ntwo"', 'TRUSTED_PROXIES=loopback # the LB', '', 'EMPTY='].join('\n');
    expect(parseEnvFile(text)).toEqual({ PORT: '9000', HOST: '0.0.0.0', KAFKA_BROKERS: 'a:9092,b:9092', SPOOR_PUBLIC_URL: 'https://t.example.com', MULTI: 'one\ntwo', TRUSTED_PROXIES: 'loopback', EMPTY: '' });
  });

  it('names the line it cannot read', () => {
    expect(() => parseEnvFile('PORT=1\nnot a setting', 'shop.env')).toThrow(ConfigurationError);
    expect(() => parseEnvFile('PORT=1\nnot a setting', 'shop.env')).toThrow(/shop\.env:2/);
  });

  it('lets the process environment win over the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spoor-env-')), 'shop.env');
    writeFileSync(file, 'PORT=9000\nHOST=0.0.0.0\n');
    expect(environmentWithFile({ PORT: '7000' }, file)).toMatchObject({ PORT: '7000', HOST: '0.0.0.0' });
    expect(environmentWithFile({ PORT: '7000' }, undefined)).toEqual({ PORT: '7000' });
    expect(() => environmentWithFile({}, join(file, 'missing'))).toThrow(/--env-file/);
  });

  it('takes --env-file out of the command line in both spellings', () => {
    expect(takeEnvFileArgument(['--env-file', 'a.env', '--keep'])).toEqual({ envFile: 'a.env', rest: ['--keep'] });
    expect(takeEnvFileArgument(['--source=log', '--env-file=b.env'])).toEqual({ envFile: 'b.env', rest: ['--source=log'] });
    expect(takeEnvFileArgument(['--keep'])).toEqual({ rest: ['--keep'] });
    expect(() => takeEnvFileArgument(['--env-file'])).toThrow(ConfigurationError);
  });
});
